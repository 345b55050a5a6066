import { describe, expect, it } from 'vitest';
import { singleRecordBatchBytes } from '../../src/kafka/record-size.js';
import { deadLetterHeaders, deadLetterRecord, DLQ_HEADERS, type DeadLetterInfo } from '../../src/worker/dead-letter.js';

const info: DeadLetterInfo = { reason: 'binary', topic: 'logs.a', partition: 3, offset: '42', timestamp: '1700000000000' };

describe('deadLetterHeaders', () => {
  it('keeps the original headers and adds reason and source coordinates as strings', () => {
    const h = deadLetterHeaders({ trace: Buffer.from('t1'), multi: ['a', 'b'] }, info);
    expect(h.trace).toEqual(Buffer.from('t1'));
    expect(h.multi).toEqual(['a', 'b']);
    expect(h[DLQ_HEADERS.reason]).toBe('binary');
    expect(h[DLQ_HEADERS.topic]).toBe('logs.a');
    expect(h[DLQ_HEADERS.partition]).toBe('3');
    expect(h[DLQ_HEADERS.offset]).toBe('42');
    expect(h[DLQ_HEADERS.timestamp]).toBe('1700000000000');
    expect(h[DLQ_HEADERS.error]).toBeUndefined();
  });

  it('replaces faultline headers of an earlier dead-lettering', () => {
    const h = deadLetterHeaders({ [DLQ_HEADERS.reason]: 'too-large', [DLQ_HEADERS.error]: 'old' }, info);
    expect(h[DLQ_HEADERS.reason]).toBe('binary');
    expect(h[DLQ_HEADERS.error]).toBeUndefined();
  });

  it('adds a short error text for processing errors', () => {
    const h = deadLetterHeaders(undefined, { ...info, reason: 'processing-error', error: 'x'.repeat(5000) });
    expect(String(h[DLQ_HEADERS.error]).length).toBeLessThanOrEqual(500);
  });
});

describe('deadLetterRecord', () => {
  it('keeps key and value byte for byte', () => {
    const value = Buffer.from([0, 1, 2, 255, 254]);
    const key = Buffer.from('key-1');
    const r = deadLetterRecord('dlq', { key, value, offset: '42', timestamp: '1', headers: {} }, info, 1000);
    expect(r.topic).toBe('dlq');
    expect(r.key).toBe(key);
    expect(r.value).toEqual(value);
    expect(r.headers?.[DLQ_HEADERS.originalBytes]).toBeUndefined();
  });

  it('cuts a value too large for the dead-letter topic and says how large it was', () => {
    const value = Buffer.alloc(50_000, 7);
    const r = deadLetterRecord('dlq', { key: Buffer.from('k1'), value, offset: '42', timestamp: '1' }, info, 10_000);
    expect(singleRecordBatchBytes(r)).toBeLessThanOrEqual(10_000);
    expect((r.value as Buffer).length).toBeGreaterThan(5000);
    expect(value.subarray(0, (r.value as Buffer).length).equals(r.value as Buffer)).toBe(true);
    expect(r.key).toEqual(Buffer.from('k1'));
    expect(r.headers?.[DLQ_HEADERS.originalBytes]).toBe('50000');
    expect(r.headers?.[DLQ_HEADERS.originalKeyBytes]).toBeUndefined();
  });

  it('cuts a huge key and leaves out many headers so that the dead letter fits, saying what was there', () => {
    const headers: Record<string, string> = { keep: 'no' };
    for (let i = 0; i < 1000; i++) headers[`h${i}`] = 'x'.repeat(300);
    const key = Buffer.alloc(1_200_000, 0x6b);
    const value = Buffer.from('a small value');
    const r = deadLetterRecord('dlq', { key, value, offset: '42', timestamp: '1', headers }, { ...info, reason: 'key-too-large' }, 1_048_588);
    expect(singleRecordBatchBytes(r)).toBeLessThanOrEqual(1_048_588);
    expect(r.value).toEqual(value);
    expect(key.subarray(0, (r.key as Buffer).length).equals(r.key as Buffer)).toBe(true);
    expect((r.key as Buffer).length).toBeGreaterThan(500_000);
    expect(r.headers?.[DLQ_HEADERS.originalKeyBytes]).toBe('1200000');
    expect(r.headers?.[DLQ_HEADERS.originalBytes]).toBeUndefined();
    expect(r.headers?.h1).toBeUndefined();
    expect(r.headers?.[DLQ_HEADERS.originalHeaders]).toBe('1001');
    expect(Number(r.headers?.[DLQ_HEADERS.originalHeaderBytes])).toBeGreaterThan(300_000);
    expect(r.headers?.[DLQ_HEADERS.reason]).toBe('key-too-large');
  });

  it('fits the record and its reason even in the smallest batch the settings allow', () => {
    const r = deadLetterRecord('dlq', { key: Buffer.alloc(3000), value: Buffer.alloc(3000), offset: '42', timestamp: '1' }, info, 1024);
    expect(singleRecordBatchBytes(r)).toBeLessThanOrEqual(1024);
    expect(r.headers?.[DLQ_HEADERS.reason]).toBe('binary');
  });

  it('passes a null value on as null', () => {
    const r = deadLetterRecord('dlq', { key: null, value: null, offset: '1', timestamp: '1' }, info, 1000);
    expect(r.value).toBeNull();
  });
});
