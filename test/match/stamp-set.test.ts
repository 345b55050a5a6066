import { describe, expect, it } from 'vitest';
import { StampSet } from '../../src/match/stamp-set.js';

describe('StampSet', () => {
  it('holds each id once, in insertion order, until cleared', () => {
    const set = new StampSet(10);
    set.add(5);
    set.add(2);
    set.add(5);
    expect(set.size).toBe(2);
    expect(Array.from(set.items.subarray(0, set.size))).toEqual([5, 2]);
    expect(Array.from(set.sorted())).toEqual([2, 5]);
    expect(set.has(5)).toBe(true);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.has(5)).toBe(false);
  });

  it('stays correct across many clears', () => {
    const set = new StampSet(3);
    for (let round = 0; round < 10_000; round++) {
      set.clear();
      set.add(round % 3);
      expect(set.has((round + 1) % 3)).toBe(false);
    }
    expect(set.size).toBe(1);
  });
});
