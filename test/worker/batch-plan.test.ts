import { describe, expect, it } from 'vitest';
import type { InRecord } from '../../src/kafka/types.js';
import { BatchPlan, type PlanSettings } from '../../src/worker/batch-plan.js';
import { isoTimestamp } from '../../src/worker/record-outcome.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { fakeProcessor } from './support/fake-core.js';

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
    expect(p.writes[0]?.headers?.[DLQ_HEADERS.reason]).toBe('too-large');
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
