import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_OVERHEAD, recordBytes } from '../../src/kafka/record-size.js';
import { requests as queued, topicMessages } from '../../src/kafka/sink.js';
import type { OutRecord } from '../../src/kafka/types.js';

const requests = (...args: Parameters<typeof queued>) => queued(...args).map(topicMessages);
const rec = (topic: string, n: number, bytes = 100): OutRecord => ({ topic, key: `k${n}`, value: 'x'.repeat(bytes) });

describe('sink request splitting', () => {
  it('puts small sends into one request grouped by topic, in order', () => {
    const out = requests([{ records: [rec('a', 1), rec('b', 2)] }, { records: [rec('a', 3)] }], 10_000);
    expect(out).toHaveLength(1);
    expect(out[0]?.map((t) => t.topic)).toEqual(['a', 'b']);
    expect(out[0]?.[0]?.messages.map((m) => m.key)).toEqual(['k1', 'k3']);
  });

  it('splits so that no request is larger than the limit, keeping order across requests', () => {
    const records = Array.from({ length: 50 }, (_, i) => rec('a', i, 1000));
    const out = requests([{ records }], 10_000);
    expect(out.length).toBeGreaterThan(1);
    const keys = out.flatMap((r) => r.flatMap((t) => t.messages.map((m) => m.key)));
    expect(keys).toEqual(records.map((r) => r.key));
    for (const r of out) {
      const size = r.flatMap((t) => t.messages).reduce((n, m) => n + String(m.value).length, 0);
      expect(size).toBeLessThanOrEqual(10_000);
    }
  });

  it('sends a record larger than the limit alone', () => {
    const out = requests([{ records: [rec('a', 1), rec('a', 2, 50_000), rec('a', 3)] }], 10_000);
    expect(out.map((r) => r[0]?.messages.map((m) => m.key))).toEqual([['k1'], ['k2'], ['k3']]);
  });

  it('counts header bytes', () => {
    const big = { topic: 'd', key: null, value: 'v', headers: { h: 'x'.repeat(9000) } };
    const out = requests([{ records: [big, big] }], 10_000);
    expect(out).toHaveLength(2);
  });

  it('keeps one topic under its own limit in a request, other topics beside it', () => {
    const records = [rec('small', 1, 3000), rec('big', 2, 3000), rec('small', 3, 3000), rec('big', 4, 3000)];
    const out = requests([{ records }], 100_000, (t) => (t === 'small' ? 5000 : 1_000_000));
    expect(out.map((r) => r.map((t) => `${t.topic}:${t.messages.map((m) => m.key).join(',')}`))).toEqual([
      ['small:k1', 'big:k2'],
      ['small:k3', 'big:k4'],
    ]);
  });

  it('remembers which send and index each record came from', () => {
    const a = { records: [rec('a', 1), rec('a', 2)] };
    const b = { records: [rec('b', 3)] };
    const out = queued([a, b], 10_000);
    expect(out.flat().map((q) => [(q.job as unknown) === a ? 'a' : 'b', q.index])).toEqual([['a', 0], ['a', 1], ['b', 0]]);
  });
});

// The cuts as they were made with every record's exact size counted up front.
function exactCuts(records: readonly OutRecord[], maxBytes: number, topicLimit: (topic: string) => number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let perTopic = new Map<string, number>();
  let size = 0;
  records.forEach((record, index) => {
    const bytes = recordBytes(record);
    const topicBytes = perTopic.get(record.topic) ?? 0;
    if (size > 0 && (size + bytes > maxBytes || (topicBytes > 0 && BATCH_OVERHEAD + topicBytes + bytes > topicLimit(record.topic)))) {
      out.push(current);
      current = [];
      perTopic = new Map();
      size = 0;
    }
    current.push(index);
    perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + bytes);
    size += bytes;
  });
  if (current.length > 0) out.push(current);
  return out;
}

describe('sink request splitting without counting every record', () => {
  it('cuts where exact sizes cut', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800'), maxLength: 400 });
    const record = fc.record({
      topic: fc.constantFrom('a', 'b', 'c'),
      key: fc.oneof(fc.constant(null), text, text.map((t) => Buffer.from(t))),
      value: fc.oneof(text, text.map((t) => Buffer.from(t))),
      headers: fc.option(fc.dictionary(fc.constantFrom('x-reason', 'x-topic'), text, { maxKeys: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), fc.integer({ min: 50, max: 8000 }), fc.integer({ min: 100, max: 6000 }), (records, maxBytes, small) => {
        const limit = (topic: string) => (topic === 'b' ? small : Number.POSITIVE_INFINITY);
        const got = queued([{ records }], maxBytes, limit).map((r) => r.map((q) => q.index));
        expect(got).toEqual(exactCuts(records, maxBytes, limit));
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
