import { describe, expect, it } from 'vitest';
import type { InRecord } from '../../src/kafka/types.js';
import { singleRecordBatchBytes } from '../../src/kafka/record-size.js';
import { BatchPlan, type PlanSettings } from '../../src/worker/batch-plan.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { checkRecordLimits, type RecordLimits } from '../../src/worker/record-limits.js';
import type { RecordProcessor } from '../../src/worker/record-outcome.js';
import { fakeProcessor } from './support/fake-core.js';

const limits: RecordLimits = { maxKeyBytes: 100, maxHeaders: 3, maxHeaderBytes: 50 };
const rec = (extra: Partial<InRecord>): InRecord => ({ key: null, value: Buffer.from('MATCH:a/b'), offset: '9', timestamp: '1', ...extra });

describe('checkRecordLimits', () => {
  it('passes a record within every limit', () => {
    expect(checkRecordLimits(rec({ key: Buffer.alloc(100), headers: { a: 'x', b: ['y', 'z'] } }), limits)).toBeUndefined();
  });

  it('names the limit a record is over', () => {
    expect(checkRecordLimits(rec({ key: Buffer.alloc(101) }), limits)).toEqual({ reason: 'key-too-large', error: 'key of 101 bytes is over 100' });
    expect(checkRecordLimits(rec({ headers: { a: '', b: '', c: ['', ''] } }), limits)?.reason).toBe('too-many-headers');
    expect(checkRecordLimits(rec({ headers: { a: 'x'.repeat(49) } }), limits)).toBeUndefined();
    expect(checkRecordLimits(rec({ headers: { ab: 'x'.repeat(49) } }), limits)?.reason).toBe('headers-too-large');
    expect(checkRecordLimits(rec({ headers: { a: Buffer.alloc(60) } }), limits)?.reason).toBe('headers-too-large');
  });
});

describe('BatchPlan with record limits', () => {
  const settings: PlanSettings = { outputTopic: 'out', dlqTopic: 'dlq', emit: 'matched', maxWriteBytes: 1_000_000, recordLimits: limits };

  it('dead-letters a record over a limit without handing it to the processor', () => {
    const seen: (Buffer | null)[] = [];
    const inner = fakeProcessor();
    const process: RecordProcessor = (value, ...rest) => {
      seen.push(value);
      return inner(value, ...rest);
    };
    const p = new BatchPlan('logs', 0, settings, process);
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`h${i}`] = '';
    p.add(rec({ offset: '1', key: Buffer.alloc(300_000, 1) }));
    p.add(rec({ offset: '2', headers: many }));
    p.add(rec({ offset: '3' }));
    expect(seen).toHaveLength(1);
    expect(p.writes.map((w) => [w.topic, w.headers?.[DLQ_HEADERS.reason]])).toEqual([
      ['dlq', 'key-too-large'],
      ['dlq', 'too-many-headers'],
      ['out', undefined],
    ]);
    expect(p.deadLettered).toEqual({ 'key-too-large': 1, 'too-many-headers': 1 });
    expect(p.lastOffset).toBe('3');
  });

  it('checks a tagged event whole against the output topic limit: a large key counts', () => {
    const topicLimits = { of: (t: string) => (t === 'out' ? 2000 : 1_000_000) };
    const p = new BatchPlan('logs', 0, { ...settings, recordLimits: undefined, topicLimits }, fakeProcessor());
    p.add(rec({ offset: '1', key: Buffer.alloc(10) }));
    p.add(rec({ offset: '2', key: Buffer.alloc(3000) }));
    expect(p.writes.map((w) => [w.topic, w.headers?.[DLQ_HEADERS.reason]])).toEqual([
      ['out', undefined],
      ['dlq', 'output-too-large'],
    ]);
    expect(singleRecordBatchBytes(p.writes[0] as never)).toBeLessThanOrEqual(2000);
  });

  it('replaces a refused tagged event by its dead letter, once per record, and cuts a refused dead letter to its headers', () => {
    const p = new BatchPlan('logs', 0, { ...settings, recordLimits: undefined }, fakeProcessor());
    p.add(rec({ offset: '1', key: Buffer.from('k') }));
    p.add(rec({ offset: '2', value: Buffer.from('BINARY'), key: Buffer.alloc(500) }));
    const done = new Set<InRecord>();
    const first = p.replacementFor(0, 'MESSAGE_TOO_LARGE: too big', done);
    expect(first?.topic).toBe('dlq');
    expect(first?.headers?.[DLQ_HEADERS.reason]).toBe('output-refused');
    expect(first?.headers?.[DLQ_HEADERS.error]).toBe('MESSAGE_TOO_LARGE: too big');
    expect(first?.value).toEqual(Buffer.from('MATCH:a/b'));
    expect(p.replacementFor(0, 'again', done)).toBeUndefined();
    const cut = p.replacementFor(1, 'MESSAGE_TOO_LARGE: dlq too', done);
    expect(cut?.headers?.[DLQ_HEADERS.reason]).toBe('binary');
    expect(cut?.key).toEqual(Buffer.alloc(0));
    expect(cut?.headers?.[DLQ_HEADERS.originalKeyBytes]).toBe('500');
    expect(p.deadLettered).toEqual({ binary: 1, 'output-refused': 1 });
  });
});
