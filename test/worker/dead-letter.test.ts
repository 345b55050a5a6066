import { describe, expect, it } from 'vitest';
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
    const value = Buffer.alloc(5000, 7);
    const r = deadLetterRecord('dlq', { key: null, value, offset: '42', timestamp: '1' }, info, 1000);
    expect((r.value as Buffer).length).toBe(1000);
    expect(r.headers?.[DLQ_HEADERS.originalBytes]).toBe('5000');
  });

  it('passes a null value on as null', () => {
    const r = deadLetterRecord('dlq', { key: null, value: null, offset: '1', timestamp: '1' }, info, 1000);
    expect(r.value).toBeNull();
  });
});
