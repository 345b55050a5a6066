import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepthWithin } from '../../src/decode/json-depth.js';

/** Reference: depth of a parsed value. */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (typeof v === 'object' && v !== null) return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('jsonDepthWithin', () => {
  it('compares nesting with the limit', () => {
    expect(jsonDepthWithin('{"a":[[1]]}', 3)).toBe(true);
    expect(jsonDepthWithin('{"a":[[1]]}', 2)).toBe(false);
    expect(jsonDepthWithin('{}', 1)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const s = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\"', c: '"' });
    expect(jsonDepthWithin(s, 1)).toBe(true);
  });

  it('agrees with the depth of the parsed value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 10 }), (v, limit) => {
        expect(jsonDepthWithin(JSON.stringify(v), limit)).toBe(depthOf(v) <= limit);
      }),
      { numRuns: 500 },
    );
  });
});
