import { describe, expect, it } from 'vitest';
import { requests } from '../../src/kafka/sink.js';
import type { OutRecord } from '../../src/kafka/types.js';

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
});
