import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singleRecordBatchBytes, singleRecordBatchBytesOver } from '../../src/kafka/record-size.js';

describe('singleRecordBatchBytesOver', () => {
  it('is the exact size exactly when that is over the limit, for any text and limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 1500 }), (value, key, limit) => {
        const r = { key: Buffer.from(key), value, headers: { h: 'v' } };
        const exact = singleRecordBatchBytes(r);
        expect(singleRecordBatchBytesOver(r, limit)).toBe(exact > limit ? exact : undefined);
      }),
      { numRuns: 500 },
    );
  });

  it('counts multi-byte text as UTF-8, not as UTF-16 units', () => {
    const r = { key: null, value: 'é'.repeat(100), headers: undefined };
    const exact = singleRecordBatchBytes(r);
    expect(singleRecordBatchBytesOver(r, exact)).toBeUndefined();
    expect(singleRecordBatchBytesOver(r, exact - 1)).toBe(exact);
  });
});
