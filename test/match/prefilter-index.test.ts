import { describe, expect, it } from 'vitest';
import { compilePattern, re2Syntax } from '../../src/match/compile.js';
import { extractPrefilter } from '../../src/match/prefilter.js';
import { PrefilterIndex, type IndexedPattern } from '../../src/match/prefilter-index.js';
import { StampSet } from '../../src/match/stamp-set.js';

function index(regexes: string[]): PrefilterIndex {
  const patterns: IndexedPattern[] = regexes.map((regex, id) => {
    const found = extractPrefilter(re2Syntax(compilePattern(regex)));
    if (found.kind !== 'prefilter') throw new Error(`no prefilter for ${regex}`);
    return { id, units: found.units };
  });
  return new PrefilterIndex(patterns);
}

function candidates(idx: PrefilterIndex, text: string): number[] {
  const set = new StampSet(16);
  idx.candidates(text, set);
  return Array.from(set.sorted());
}

describe('PrefilterIndex', () => {
  const idx = index(['NDK.*build.*failed', '(?i)connection refused', 'zq.*timeout|pool exhausted', 'EADDRNOTAVAIL']);

  it('keeps the patterns whose whole condition holds', () => {
    expect(candidates(idx, 'ndk-build failed: missing toolchain')).toEqual([0]);
    expect(candidates(idx, 'CONNECTION REFUSED; EADDRNOTAVAIL')).toEqual([1, 3]);
    expect(candidates(idx, 'pool exhausted')).toEqual([2]);
    expect(candidates(idx, 'zq waited, then timeout')).toEqual([2]);
  });

  it('drops a woken pattern whose other atoms are missing', () => {
    // "build" wakes pattern 0, but "ndk" and "failed" are not there.
    expect(candidates(idx, 'build finished')).toEqual([]);
    // "timeout" alone does not satisfy zq.*timeout, and the other alternative is absent.
    expect(candidates(idx, 'request timeout')).toEqual([]);
  });

  it('starts afresh for every text', () => {
    expect(candidates(idx, 'EADDRNOTAVAIL')).toEqual([3]);
    expect(candidates(idx, 'all quiet')).toEqual([]);
  });

  it('made again from its tables (as the rule cache does) finds the same and gives the same tables back', () => {
    // Nested conditions (OR inside AND) beside flat ANDs of atoms: the latter are not revived.
    const regexes = ['NDK.*build.*failed', '(?i)connection refused', 'zq.*timeout|pool exhausted', 'EADDRNOTAVAIL', 'alpha.*(beta|gamma).*delta'];
    const first = index(regexes);
    const again = new PrefilterIndex(first.tables());
    expect(again.tables()).toEqual(first.tables());
    expect(new PrefilterIndex(again.tables()).tables()).toEqual(first.tables());
    const texts = ['ndk-build failed', 'build finished', 'zq then timeout', 'pool exhausted', 'alpha gamma delta', 'alpha delta', 'alpha beta', 'CONNECTION REFUSED'];
    for (const t of texts) expect(candidates(again, t), t).toEqual(candidates(first, t));
    expect(candidates(again, 'alpha gamma delta')).toEqual([4]);
    expect(candidates(again, 'alpha delta')).toEqual([]);
  });
});
