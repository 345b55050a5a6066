// isoTimestamp reuses the date and time of the last second it formatted: the same strings as
// new Date(n).toISOString(), in any order of timestamps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../src/worker/record-outcome.js';

const reference = (ms: string): string | undefined => {
  const n = Number(ms);
  return !Number.isFinite(n) || n < 0 || n > 8.64e15 ? undefined : new Date(n).toISOString();
};

describe('isoTimestamp', () => {
  it('is toISOString of the epoch milliseconds, or undefined outside the dates', () => {
    const near = fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 });
    const ms = fc.oneof(near, near, fc.integer({ min: -5, max: 8.64e15 + 5 }), fc.constantFrom(0, 999, 1000, 253402300799999, 253402300800000, 8.64e15));
    const text = fc.oneof(ms.map(String), fc.constantFrom('-1', '', 'x', '1e3', '1700000000000.5', ' 12 ', 'Infinity'));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), (stamps) => {
        for (const s of stamps) expect(isoTimestamp(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
