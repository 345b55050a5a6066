// Rules with `unless` guards in the bank (src/match/guard.ts, bank.ts): a rule is a hit exactly
// when one of its regexes matches and none of its guards does, built fresh or from a plan.
import fc from 'fast-check';
import RE2 from 're2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bankFromPlan, buildBank, planBank } from '../../src/match/bank.js';
import { UnlessGuard } from '../../src/match/guard.js';
import type { MatcherBank } from '../../src/match/types.js';
import { ReferenceMatcher, makeRule } from './support/rules.js';
import { noiseArb, print, sample, treeArb } from './support/regex-arbitrary.js';

function compiles(regex: string): boolean {
  try {
    new RE2(regex, 'u');
    return true;
  } catch {
    return false;
  }
}

const ids = (bank: MatcherBank, text: string): string[] => bank.match(text).map((m) => bank.rules[m.rule]?.id ?? '?');

const emfile = () => [
  makeRule('java/emfile', ['java\\.io\\.IOException: Too many open files', 'error=24, Too many open files'], ['forkAndExec|ProcessBuilder\\.start', 'Cannot run program']),
  makeRule('any/emfile', ['Too many open files']),
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('unless guards in the bank', () => {
  it('silences a guarded rule on a text any guard matches, whichever of its regexes matched; other rules still hit', () => {
    const { bank, problems } = buildBank(emfile());
    expect(problems).toEqual([]);
    expect(bank.match('java.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)')).toEqual([
      { rule: 0, pattern: 0, start: 0, end: 40 },
      { rule: 1, pattern: 0, start: 21, end: 40 },
    ]);
    expect(ids(bank, 'java.io.IOException: Too many open files\n\tat java.lang.UNIXProcess.forkAndExec(Native Method)')).toEqual(['any/emfile']);
    // The second regex matches, the second guard silences it.
    expect(ids(bank, 'java.io.IOException: Cannot run program "git": error=24, Too many open files')).toEqual(['any/emfile']);
    expect(ids(bank, 'error=24, Too many open files')).toEqual(['java/emfile', 'any/emfile']);
    // A guard alone matches nothing.
    expect(ids(bank, 'at java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)')).toEqual([]);
    bank.close();
  });

  it('asks a rule\'s guards only when one of its regexes matched, once per text', () => {
    const asked = vi.spyOn(UnlessGuard.prototype, 'silences');
    const { bank } = buildBank(emfile());
    const calls = (text: string): number => {
      asked.mockClear();
      bank.match(text);
      return asked.mock.calls.length;
    };
    expect(calls('nothing at all, not even forkAndExec(')).toBe(0);
    // Only the unguarded rule matches.
    expect(calls('Too many open files')).toBe(0);
    // Both regexes of the guarded rule match: its guards are asked once.
    expect(calls('java.io.IOException: Too many open files; error=24, Too many open files')).toBe(1);
    bank.close();
  });

  it('guards the same way in a bank made from a plan (the rule cache) as in a fresh build', () => {
    const rules = emfile();
    const fresh = buildBank(rules).bank;
    const planned = bankFromPlan(rules, JSON.parse(JSON.stringify(planBank(rules))));
    const texts = [
      'java.io.IOException: Too many open files',
      'java.io.IOException: Too many open files\nat java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)',
      'Cannot run program "x": error=24, Too many open files',
    ];
    expect(texts.map((t) => planned.match(t))).toEqual(texts.map((t) => fresh.match(t)));
    expect(texts.map((t) => ids(planned, t))).toEqual([['java/emfile', 'any/emfile'], ['any/emfile'], ['any/emfile']]);
    fresh.close();
    planned.close();
  });

  it('leaves out a rule whose guard RE2 rejects, naming the field, when rules reach the bank unchecked', () => {
    const { bank, problems } = buildBank([makeRule('a/bad', ['boom'], ['fine', '(?<=x)y']), makeRule('b/ok', ['boom'])]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'regex', ruleId: 'a/bad', file: '/rules/a/bad.json', message: expect.stringMatching(/^unless\[1\]: invalid perl operator/) });
    expect(bank.rules.map((r) => r.id)).toEqual(['b/ok']);
    expect(ids(bank, 'boom')).toEqual(['b/ok']);
    bank.close();
  });

  it('hits exactly when a regex matches and no guard matches (generated rules, guards and texts)', () => {
    const ruleArb = fc.record({
      patterns: fc.array(treeArb, { minLength: 1, maxLength: 2 }),
      guards: fc.array(treeArb, { maxLength: 2 }),
    });
    const textArb = fc.tuple(fc.nat(), fc.nat({ max: 2 }), noiseArb, fc.infiniteStream(fc.nat()), noiseArb);
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 8 }), fc.array(textArb, { minLength: 1, maxLength: 8 }), (specs, textSpecs) => {
        const rules = specs.map((s, i) => makeRule(`gen/${i}`, s.patterns.map(print), s.guards.map(print)));
        // The generator can print what RE2 refuses (the same name on two groups): such a rule never
        // reaches a bank, and the loader tests cover that; this property is about the ones that do.
        fc.pre(rules.every((r) => [...r.patterns, ...(r.unless ?? [])].every((p) => compiles(p.regex))));
        // Texts: a sample of some rule's regex, alone or next to a sample of one of its guards.
        const texts = textSpecs.map(([which, shape, before, choices, after]) => {
          const it = choices[Symbol.iterator]();
          const pick = (n: number): number => (it.next().value as number) % Math.max(n, 1);
          const spec = specs[which % specs.length] as (typeof specs)[number];
          const hit = sample(spec.patterns[which % spec.patterns.length] as (typeof spec.patterns)[number], pick);
          const guard = spec.guards.length === 0 ? '' : sample(spec.guards[which % spec.guards.length] as (typeof spec.guards)[number], pick);
          return before + (shape === 0 ? hit : shape === 1 ? `${hit}\n${guard}` : `${guard} ${hit}`) + after;
        });
        const { bank } = buildBank(rules);
        const reference = new ReferenceMatcher(rules);
        for (const text of texts) {
          const got = bank.match(text);
          expect(got, JSON.stringify(text)).toEqual(reference.match(text));
          // And said directly, rule by rule (every regex compiles, so no rule is left out).
          const utf8 = Buffer.from(text, 'utf8');
          const expected = rules.flatMap((r, i) => {
            const hit = r.patterns.some((p) => new RE2(p.regex, 'u').test(utf8));
            const silenced = (r.unless ?? []).some((g) => new RE2(g.regex, 'u').test(utf8));
            return hit && !silenced ? [i] : [];
          });
          expect(got.map((m) => m.rule)).toEqual(expected);
        }
        bank.close();
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
