import { expect } from 'vitest';
import { matchRecordText } from '../../../src/match/record-text.js';
import type { MatcherBank } from '../../../src/match/types.js';

/**
 * What every reading of a record must keep: the bank's own results are all there, rules come in
 * rule order and once each, and every span lies inside the text (views map back to it).
 */
export function expectReadingKeepsBankResults(bank: MatcherBank, text: string): void {
  const direct = bank.match(text);
  const all = matchRecordText(bank, text);
  for (const d of direct) expect(all).toContainEqual(d);
  const order = all.map((m) => m.rule);
  expect(order).toEqual([...new Set(order)].sort((a, b) => a - b));
  for (const m of all) {
    expect(m.start).toBeGreaterThanOrEqual(0);
    expect(m.end).toBeGreaterThanOrEqual(m.start);
    expect(m.end).toBeLessThanOrEqual(text.length);
  }
}
