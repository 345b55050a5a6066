/**
 * No two rules of rules/ match the same text unless they mean to. Every example (match and
 * no_match) and every signature of every rule goes through the production bank built over the
 * whole KB; each pair of rules that fires on one text must be declared in `overlaps`.
 *
 * Policy: an overlap counts as declared only when BOTH rules list each other. `rules test`
 * accepts either side (it warns, it does not fail); this gate is stricter so that the author of
 * each rule has seen the other, and a rule edited later cannot drift into another's texts
 * unnoticed. A declaration must also be shown by at least one text that both rules match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMatcher } from '../../src/cli/rules-test.js';
import type { ExampleMatcher } from '../../src/cli/rules-test.js';
import type { LoadResult, Rule } from '../../src/kb/types.js';
import { describeText, kbTexts, loadRepoRules } from './kb-corpus.js';
import type { KbText } from './kb-corpus.js';

let kb: LoadResult;
let byId: Map<string, Rule>;
let matcher: ExampleMatcher;
/** "a + b" (ids sorted) → the texts both rules match. */
let pairs: Map<string, KbText[]>;

const pairKey = (a: string, b: string): string => (a < b ? `${a} + ${b}` : `${b} + ${a}`);

function declares(a: Rule, b: Rule): boolean {
  return a.overlaps.includes(b.id);
}

beforeAll(async () => {
  kb = await loadRepoRules();
  byId = new Map(kb.rules.map((r) => [r.id, r]));
  matcher = bankMatcher(kb.rules);
  pairs = new Map();
  for (const text of kbTexts(kb.rules)) {
    const ids = matcher.matchingIds(text.text);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const key = pairKey(ids[i] as string, ids[j] as string);
        pairs.set(key, [...(pairs.get(key) ?? []), text]);
      }
    }
  }
});
afterAll(() => matcher.close());

describe('overlaps between the rules in rules/', () => {
  it('declares overlaps only with other existing rules, and on both sides', () => {
    const problems: string[] = [];
    for (const rule of kb.rules) {
      for (const otherId of rule.overlaps) {
        const other = byId.get(otherId);
        if (other === undefined) problems.push(`${rule.id}: overlaps names no rule: ${otherId}`);
        else if (other === rule) problems.push(`${rule.id}: overlaps names itself`);
        else if (!declares(other, rule)) problems.push(`${rule.id}: overlaps ${otherId}, which does not list ${rule.id} back`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs a substantial corpus: every example and signature of the KB', () => {
    const texts = kbTexts(kb.rules);
    expect(texts.length).toBeGreaterThan(3 * kb.rules.length);
    expect(new Set(texts.map((t) => t.ruleId)).size).toBe(kb.rules.length);
  });

  it('has no two rules matching the same text unless both declare the overlap', () => {
    const undeclared: string[] = [];
    for (const [key, texts] of pairs) {
      const [a, b] = key.split(' + ').map((id) => byId.get(id) as Rule) as [Rule, Rule];
      if (declares(a, b) && declares(b, a)) continue;
      const side = declares(a, b) ? ` (only ${a.id} declares it)` : declares(b, a) ? ` (only ${b.id} declares it)` : '';
      const more = texts.length > 1 ? ` (+${texts.length - 1} more)` : '';
      undeclared.push(`${key}${side}: ${describeText(texts[0] as KbText)}${more}`);
    }
    expect(undeclared).toEqual([]);
  });

  it('shows every declared overlap on at least one text that both rules match', () => {
    const unshown = kb.rules.flatMap((rule) =>
      rule.overlaps.filter((otherId) => byId.has(otherId) && !pairs.has(pairKey(rule.id, otherId))).map((otherId) => `${rule.id} + ${otherId}`),
    );
    expect(unshown).toEqual([]);
  });
});
