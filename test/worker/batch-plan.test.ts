import { describe, expect, it } from 'vitest';
import type { InRecord } from '../../src/kafka/types.js';
import { singleRecordBatchBytes } from '../../src/kafka/record-size.js';
import { BatchPlan, type PlanSettings } from '../../src/worker/batch-plan.js';
import { isoTimestamp } from '../../src/worker/record-outcome.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { fakeProcessor } from './support/fake-core.js';
import { loadRules } from '../../src/kb/load.js';
import { buildBank } from '../../src/match/bank.js';
import { coreProcessorFor } from '../../src/worker/core-processor.js';
import { otlpProtoMessage } from '../support/otlp-fixtures.js';

const settings: PlanSettings = { outputTopic: 'out', dlqTopic: 'dlq', emit: 'matched', maxWriteBytes: 10_000 };
const rec = (offset: number, value: string | Buffer | null, extra: Partial<InRecord> = {}): InRecord => ({
  key: Buffer.from(`key-${offset}`),
  value: typeof value === 'string' ? Buffer.from(value) : value,
  offset: String(offset),
  timestamp: '1700000000000',
  headers: {},
  ...extra,
});

function plan(values: (string | Buffer | null)[], s: PlanSettings = settings): BatchPlan {
  const p = new BatchPlan('logs', 2, s, fakeProcessor(s.emit === 'all'));
  values.forEach((v, i) => p.add(rec(100 + i, v)));
  return p;
}

describe('BatchPlan', () => {
  it('writes matched records as tagged events keyed like the input, and counts the rest', () => {
    const p = plan(['hello', 'MATCH:a/b x', 'plain', 'BINARY']);
    expect(p.records).toBe(4);
    expect(p.unmatched).toBe(2);
    expect(p.lastOffset).toBe('103');
    expect(p.writes.map((w) => w.topic)).toEqual(['out', 'dlq']);
    const out = p.writes[0];
    expect(out?.key).toEqual(Buffer.from('key-101'));
    const event = JSON.parse(String(out?.value));
    expect(event.faultline.matches[0].id).toBe('a/b');
    expect(event.faultline.source).toEqual({ kind: 'kafka', topic: 'logs', partition: 2, offset: '101', timestamp: '2023-11-14T22:13:20.000Z' });
    expect(p.matched).toEqual([{ ruleIds: ['a/b'], signals: ['pool-starvation'] }]);
    expect(p.deadLettered).toEqual({ binary: 1 });
  });

  it('dead-letters a record whose processing throws, with the error, and goes on', () => {
    const p = plan(['THROW', 'MATCH:x']);
    expect(p.writes.map((w) => w.topic)).toEqual(['dlq', 'out']);
    expect(p.writes[0]?.headers?.[DLQ_HEADERS.reason]).toBe('processing-error');
    expect(String(p.writes[0]?.headers?.[DLQ_HEADERS.error])).toContain('boom');
    expect(p.deadLettered).toEqual({ 'processing-error': 1 });
  });

  it('dead-letters a tagged event too large to write rather than stalling on it', () => {
    const p = plan([`MATCH:x ${'y'.repeat(20_000)}`]);
    expect(p.writes).toHaveLength(1);
    expect(p.writes[0]?.topic).toBe('dlq');
    expect(p.writes[0]?.headers?.[DLQ_HEADERS.reason]).toBe('output-too-large');
    expect(p.matched).toEqual([]);
  });

  it('with emit all writes every record that is not dead-lettered, in input order', () => {
    const p = plan(['a', 'MATCH:x', 'BINARY', 'b'], { ...settings, emit: 'all' });
    expect(p.writes.map((w) => w.topic)).toEqual(['out', 'out', 'dlq', 'out']);
    expect(p.unmatched).toBe(2);
    expect(JSON.parse(String(p.writes[0]?.value)).faultline.matches).toEqual([]);
  });

  it('passes a service header to the core as the fallback service', () => {
    const p = new BatchPlan('logs', 0, settings, fakeProcessor());
    p.add(rec(1, 'MATCH:x', { headers: { service: Buffer.from('checkout') } }));
    expect(p.matched[0]?.service).toBe('checkout');
  });

  it('counts bytes of values, tombstones as zero', () => {
    const p = plan(['abc', null]);
    expect(p.bytes).toBe(3);
  });

  it('keeps the dead-letter value and headers of the original', () => {
    const p = new BatchPlan('logs', 0, settings, fakeProcessor());
    const value = Buffer.from('BINARY \x00\x01\x02');
    p.add(rec(7, value, { headers: { trace: Buffer.from('t') } }));
    const w = p.writes[0];
    expect(w?.value).toEqual(value);
    expect(w?.key).toEqual(Buffer.from('key-7'));
    expect(w?.headers?.trace).toEqual(Buffer.from('t'));
    expect(w?.headers?.[DLQ_HEADERS.offset]).toBe('7');
  });
});

describe('isoTimestamp', () => {
  it('converts epoch milliseconds and rejects missing ones', () => {
    expect(isoTimestamp('0')).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTimestamp('-1')).toBeUndefined();
    expect(isoTimestamp('x')).toBeUndefined();
    expect(isoTimestamp('99999999999999999999')).toBeUndefined();
  });
});

describe('BatchPlan on messages that hold many records', () => {
  it('writes one tagged event per matched record, keyed like the message, and dead-letters the message once when one cannot be written', async () => {
    const { rules } = await loadRules(['rules']);
    const { bank } = buildBank(rules);
    const text = (id: string) => rules.find((r) => r.id === id)?.examples?.match[0]?.text ?? '';
    const message = await otlpProtoMessage([
      {
        resource: { 'service.name': 'checkout' },
        logs: [{ body: text('java/apache-httpclient4-connection-pool-timeout') }, { body: 'fine' }, { body: text('database/redis-max-clients') }],
      },
    ]);
    const process = coreProcessorFor({ maxRecordBytes: 1 << 20, emit: 'matched', inputEncoding: ['otlp_proto'] })(bank);
    const p = new BatchPlan('logs', 2, settings, process);
    p.add(rec(7, message));
    expect(p.writes.map((w) => [w.topic, w.key?.toString()])).toEqual([
      ['out', 'key-7'],
      ['out', 'key-7'],
    ]);
    const sources = p.writes.map((w) => (JSON.parse(String(w.value)) as { faultline: { source: { index: number } } }).faultline.source.index);
    expect(sources).toEqual([0, 2]);
    expect([p.records, p.matched.length, p.unmatched]).toEqual([1, 2, 1]);
    expect(p.matched.map((m) => m.service)).toEqual(['checkout', 'checkout']);

    // A write limit only the larger of the two events is over.
    const sizes = p.writes.map((w) => singleRecordBatchBytes(w));
    expect(sizes[0]).not.toBe(sizes[1]);
    const larger = (sizes[0] ?? 0) > (sizes[1] ?? 0) ? 0 : 2;
    const small = new BatchPlan('logs', 2, { ...settings, maxWriteBytes: Math.max(...sizes) - 1 }, process);
    small.add(rec(8, message));
    expect(small.writes.map((w) => w.topic)).toEqual(['out', 'dlq']);
    expect(small.writes[1]?.headers?.[DLQ_HEADERS.error]).toBe(
      `record ${larger} of the message: tagged event of ${Math.max(...sizes)} bytes with its key is over out's limit of ${Math.max(...sizes) - 1}`,
    );
    expect(small.writes[1]?.value).toEqual(message);
    expect(small.deadLettered).toEqual({ 'output-too-large': 1 });
  });
});
