import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { ReferenceMatcher, makeRule } from './support/rules.js';
import { noiseArb, print, sample, treeArb } from './support/regex-arbitrary.js';

describe('buildBank', () => {
  it('reports every matching rule in rule order, with the first matching pattern', () => {
    const rules = [
      makeRule('a/socket', ['EADDRNOTAVAIL', '(?i)cannot assign requested address']),
      makeRule('b/pool', ['(?i)pool (is )?exhausted', 'Timeout expired.*max pool size']),
      makeRule('c/any', ['\\d{5}']),
    ];
    const { bank, problems } = buildBank(rules);
    expect(problems).toEqual([]);
    const text = 'connect: Cannot Assign Requested Address; Timeout expired before max pool size 10055';
    expect(bank.match(text)).toEqual([
      { rule: 0, pattern: 1, start: 9, end: 40 },
      { rule: 1, pattern: 1, start: 42, end: 78 },
      { rule: 2, pattern: 0, start: 79, end: 84 },
    ]);
    expect(bank.match('EADDRNOTAVAIL and the pool is exhausted')).toEqual([
      { rule: 0, pattern: 0, start: 0, end: 13 },
      { rule: 1, pattern: 0, start: 22, end: 39 },
    ]);
    expect(bank.match('all quiet')).toEqual([]);
  });

  it('gives UTF-16 offsets in texts with accents, CJK, emoji and lone surrogates', () => {
    const { bank } = buildBank([makeRule('x/pool', ['连接池已满']), makeRule('y/emoji', ['😀+ ok'])]);
    const text = 'é😀\ud800 连接池已满 😀😀 ok';
    expect(bank.match(text)).toEqual([
      { rule: 0, pattern: 0, start: text.indexOf('连'), end: text.indexOf('连') + 5 },
      { rule: 1, pattern: 0, start: text.indexOf('😀😀'), end: text.length },
    ]);
  });

  it('reports rejected regexes with RE2’s message, keeps a rule’s good ones, drops rules with none', () => {
    const rules = [
      makeRule('a/partial', ['(?<=x)y', 'plain ok']),
      makeRule('b/broken', ['(unclosed', 'a\\1']),
      makeRule('c/fine', ['fine']),
    ];
    const { bank, problems } = buildBank(rules);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatchObject({ kind: 'regex', file: '/rules/a/partial.json', ruleId: 'a/partial' });
    expect(problems[0]?.message).toMatch(/invalid perl operator/);
    expect(problems[1]).toMatchObject({ kind: 'regex', ruleId: 'b/broken', message: expect.stringMatching(/missing \)/) });
    expect(problems[2]).toMatchObject({ kind: 'regex', ruleId: 'b/broken' });
    expect(bank.rules.map((r) => r.id)).toEqual(['a/partial', 'c/fine']);
    expect(bank.stats).toMatchObject({ rules: 2, patterns: 2 });
    // Pattern indices stay those of the rule file.
    expect(bank.match('plain ok, fine')).toEqual([
      { rule: 0, pattern: 1, start: 0, end: 8 },
      { rule: 1, pattern: 0, start: 10, end: 14 },
    ]);
  });

  it('counts prefiltered and unfiltered patterns', () => {
    const { bank } = buildBank([makeRule('a', ['literal text', '\\d+x?']), makeRule('b', ['[a-z]{2}'])]);
    expect(bank.stats).toMatchObject({ rules: 2, patterns: 3, prefiltered: 1, unfiltered: 2 });
    expect(bank.stats.buildMs).toBeGreaterThanOrEqual(0);
    expect(bank.match('42')).toEqual([{ rule: 0, pattern: 1, start: 0, end: 2 }]);
  });

  it('matches nothing and allocates no index for an empty rule list', () => {
    const { bank, problems } = buildBank([]);
    expect(problems).toEqual([]);
    expect(bank.match('anything')).toEqual([]);
  });

  it('refuses to match once closed', () => {
    const { bank } = buildBank([makeRule('a', ['x'])]);
    bank.close();
    expect(() => bank.match('x')).toThrow(/closed/);
  });

  it('equals testing each rule’s regexes one by one on a large corpus with pieces of signatures', () => {
    // Few runs of big banks: hundreds of rules, hundreds of texts each, made of whole samples,
    // slices of samples (near misses), samples of two rules run together, noise and newlines.
    const textArb = (count: number) =>
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 3 }), noiseArb, fc.infiniteStream(fc.nat()), noiseArb), {
        minLength: count,
        maxLength: count,
      });
    fc.assert(
      fc.property(fc.array(fc.array(treeArb, { minLength: 1, maxLength: 3 }), { minLength: 150, maxLength: 300 }), textArb(300), (trees, specs) => {
        const rules = trees.map((patterns, i) => makeRule(`big/${i}`, patterns.map(print)));
        const { bank } = buildBank(rules);
        const reference = new ReferenceMatcher(rules);
        for (const [a, b, cut, shape, before, choices, after] of specs) {
          const it = choices[Symbol.iterator]();
          const pick = (n: number): number => (it.next().value as number) % Math.max(n, 1);
          const sampleOf = (k: number): string => {
            const ruleTrees = trees[k % trees.length] as (typeof trees)[number];
            return sample(ruleTrees[k % ruleTrees.length] as (typeof ruleTrees)[number], pick);
          };
          const first = sampleOf(a);
          const middle =
            shape === 0 ? first : shape === 1 ? first.slice(cut % (first.length + 1)) : shape === 2 ? first.slice(0, cut % (first.length + 1)) : `${first}\n${sampleOf(b)}`;
          const text = before + middle + after;
          expect(bank.match(text), JSON.stringify(text)).toEqual(reference.match(text));
        }
        bank.close();
      }),
      { numRuns: 4 },
    );
  }, 300_000);

  it('equals testing each rule’s regexes one by one on a generated corpus', () => {
    const ruleArb = fc.array(treeArb, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), noiseArb, fc.infiniteStream(fc.nat()), noiseArb), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(1, 3, 64),
        (trees, textSpecs, setChunkSize) => {
          const rules = trees.map((patterns, i) => makeRule(`gen/${i}`, patterns.map(print)));
          const texts = textSpecs.map(([which, before, choices, after]) => {
            const ruleTrees = trees[which % trees.length] as (typeof trees)[number];
            const tree = ruleTrees[which % ruleTrees.length] as (typeof ruleTrees)[number];
            const it = choices[Symbol.iterator]();
            const pick = (n: number): number => (it.next().value as number) % Math.max(n, 1);
            return before + sample(tree, pick) + '\n' + after;
          });
          const { bank } = buildBank(rules, { setChunkSize });
          const reference = new ReferenceMatcher(rules);
          for (const text of texts) expect(bank.match(text), JSON.stringify(text)).toEqual(reference.match(text));
          bank.close();
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
