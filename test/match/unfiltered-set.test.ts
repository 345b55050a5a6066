import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/match/compile.js';
import { StampSet } from '../../src/match/stamp-set.js';
import { UnfilteredSet, type SetPattern } from '../../src/match/unfiltered-set.js';

const SOURCES = ['\\d{3}', '^[a-z]+$', 'x?y', '(?i)é', '.*'];
const patterns: SetPattern[] = SOURCES.map((source, i) => ({ id: 10 + i, source, re: compilePattern(source) }));
const TEXTS = ['abc', '123', 'Y', 'É', '', 'ab\n12'];

function matched(set: UnfilteredSet, text: string): number[] {
  const found = new StampSet(20);
  set.match(Buffer.from(text, 'utf8'), found);
  return Array.from(found.sorted());
}

function expected(text: string): number[] {
  return patterns.filter((p) => p.re.test(text)).map((p) => p.id);
}

describe('UnfilteredSet', () => {
  it('reports the ids of the patterns that match, across chunks', () => {
    for (const chunk of [1, 2, 64]) {
      const set = new UnfilteredSet(patterns, chunk);
      for (const text of TEXTS) expect(matched(set, text), `${chunk} ${text}`).toEqual(expected(text));
      expect(set.fallbacks).toBe(0);
    }
  });

  it('falls back to pattern-by-pattern tests when a Set cannot be built or fails', () => {
    const unbuildable = new UnfilteredSet(patterns, 2, () => {
      throw new Error('RE2.Set could not be compiled.');
    });
    const failing = new UnfilteredSet(patterns, 2, () => ({
      match: () => {
        throw new Error('RE2.Set matching failed: out of memory.');
      },
    }));
    for (const text of TEXTS) {
      expect(matched(unbuildable, text)).toEqual(expected(text));
      expect(matched(failing, text)).toEqual(expected(text));
    }
    expect(failing.fallbacks).toBeGreaterThan(0);
  });
});
