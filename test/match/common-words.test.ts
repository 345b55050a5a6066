import { describe, expect, it } from 'vitest';
import { foldString } from '../../src/match/case-fold.js';
import { isCommonAtom, isCommonPair } from '../../src/match/common-words.js';

describe('isCommonAtom', () => {
  it('knows common log words and every piece of them, whatever the case', () => {
    for (const atom of ['error', 'FAILED', 'fail', 'conn', 'ection', 'timeout', 'Exception']) {
      expect(isCommonAtom(foldString(atom)), atom).toBe(true);
    }
  });

  it('does not flag specific error vocabulary', () => {
    for (const atom of ['eaddrnotavail', 'wsaenobufs', 'ndk', 'connection pool', 'exhausted', 'too many open files']) {
      expect(isCommonAtom(foldString(atom)), atom).toBe(false);
    }
  });
});

describe('isCommonPair', () => {
  it('flags frequent letter pairs and digit pairs, not rare pairs or symbols', () => {
    expect(isCommonPair(foldString('re'))).toBe(true);
    expect(isCommonPair(foldString('IN'))).toBe(true);
    expect(isCommonPair('20')).toBe(true);
    expect(isCommonPair(foldString('zq'))).toBe(false);
    expect(isCommonPair(foldString('w/'))).toBe(false);
    expect(isCommonPair('$<')).toBe(false);
  });
});
