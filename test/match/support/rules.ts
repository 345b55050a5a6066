/** Rules and the reference matcher for bank tests. */
import RE2 from 're2';
import type { Rule } from '../../../src/kb/types.js';
import type { RuleMatch } from '../../../src/match/types.js';

export function makeRule(id: string, regexes: string[], unless: string[] = []): Rule {
  const rule: Rule = {
    id,
    patterns: regexes.map((regex) => ({ regex })),
    domain: 'test',
    category: 'test',
    tags: [],
    signals: [],
    overlaps: [],
    file: `/rules/${id}.json`,
    format: 'flat',
    record: {},
  };
  if (unless.length > 0) rule.unless = unless.map((regex, i) => ({ regex, field: `unless[${i}]` }));
  return rule;
}

/**
 * What testing each rule's regexes one by one gives: per rule, the first pattern (in order)
 * that matches, with its offsets in UTF-16 units. Rules whose every regex RE2 rejects are left
 * out, as the bank leaves them out. A rule whose `unless` regex matches the text is no hit; one
 * with an `unless` RE2 rejects is left out too.
 *
 * Matched on the text's UTF-8 bytes, as the bank does, and the byte offsets turned into UTF-16
 * units by decoding the bytes before them (a different way from the bank's, which counts lead
 * bytes). node-re2's string
 * API is no reference: from Node 24 on it encodes a lone surrogate differently (no match, or
 * offsets shifted by one), while Buffer.from gives U+FFFD on every Node.
 */
/**
 * UTF-16 units of the text before byte `at`. RE2 can report an empty match inside a character
 * (`\B` between the bytes of an emoji): such an offset counts as the end of that character, as
 * node-re2's string API reports it.
 */
function unitsBefore(utf8: Buffer, at: number): number {
  let end = at;
  while (end < utf8.length && ((utf8[end] as number) & 0xc0) === 0x80) end++;
  return utf8.subarray(0, end).toString('utf8').length;
}

function compiled(regex: string): RE2 | null {
  try {
    return new RE2(regex, 'u');
  } catch {
    return null;
  }
}

export class ReferenceMatcher {
  private readonly compiled: (RE2 | null)[][];
  private readonly guards: RE2[][];

  constructor(rules: readonly Rule[]) {
    const kept = rules
      .map((rule) => ({ patterns: rule.patterns.map((p) => compiled(p.regex)), guards: (rule.unless ?? []).map((g) => compiled(g.regex)) }))
      .filter((r) => r.patterns.some((re) => re !== null) && r.guards.every((re) => re !== null));
    this.compiled = kept.map((r) => r.patterns);
    this.guards = kept.map((r) => r.guards as RE2[]);
  }

  match(text: string): RuleMatch[] {
    const out: RuleMatch[] = [];
    // Testing on the UTF-8 bytes is the same test, just cheaper; offsets come from the string.
    const utf8 = Buffer.from(text, 'utf8');
    this.compiled.forEach((patterns, rule) => {
      if (this.guards[rule]?.some((re) => re.test(utf8))) return;
      for (let pattern = 0; pattern < patterns.length; pattern++) {
        const re = patterns[pattern];
        if (re === null || re === undefined || !re.test(utf8)) continue;
        const m = re.exec(utf8) as unknown as { index: number; 0: Buffer };
        out.push({ rule, pattern, start: unitsBefore(utf8, m.index), end: unitsBefore(utf8, m.index + m[0].length) });
        return;
      }
    });
    return out;
  }
}
