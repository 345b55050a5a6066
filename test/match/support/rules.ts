/** Rules and the reference matcher for bank tests. */
import RE2 from 're2';
import type { Rule } from '../../../src/kb/types.js';
import type { RuleMatch } from '../../../src/match/types.js';

export function makeRule(id: string, regexes: string[]): Rule {
  return {
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
}

/**
 * What testing each rule's regexes one by one gives: per rule, the first pattern (in order)
 * that matches, with node-re2's own UTF-16 offsets. Rules whose every regex RE2 rejects are
 * left out, as the bank leaves them out.
 */
export class ReferenceMatcher {
  private readonly compiled: (RE2 | null)[][];

  constructor(rules: readonly Rule[]) {
    this.compiled = rules
      .map((rule) =>
        rule.patterns.map((p) => {
          try {
            return new RE2(p.regex, 'u');
          } catch {
            return null;
          }
        }),
      )
      .filter((patterns) => patterns.some((re) => re !== null));
  }

  match(text: string): RuleMatch[] {
    const out: RuleMatch[] = [];
    // Testing on the UTF-8 bytes is the same test, just cheaper; offsets come from the string.
    const utf8 = Buffer.from(text, 'utf8');
    this.compiled.forEach((patterns, rule) => {
      for (let pattern = 0; pattern < patterns.length; pattern++) {
        const re = patterns[pattern];
        if (re === null || re === undefined || !re.test(utf8)) continue;
        const m = re.exec(text) as RegExpExecArray;
        out.push({ rule, pattern, start: m.index, end: m.index + (m[0] as string).length });
        return;
      }
    });
    return out;
  }
}
