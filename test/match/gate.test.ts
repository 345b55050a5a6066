import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { compilePattern, re2Syntax } from '../../src/match/compile.js';
import { gateOf } from '../../src/match/gate.js';
import { parseRe2 } from '../../src/match/re2-parse.js';
import { ReferenceMatcher, makeRule } from './support/rules.js';

function gate(regex: string): ReturnType<typeof gateOf> {
  return gateOf(parseRe2(re2Syntax(compilePattern(regex))));
}

/** Single positions a skeleton is made of: literals, fold traps, classes, "any" in many forms. */
const PIECES = [
  '6', '4', '\\\\', 'k', 'K', 's', 'ſ', 'é', 'É', '😀', '\\x{212A}', '\\n', ' ', '\\.',
  '[0-9]', '\\d', '[a-c]', '[kx]', '[^x]', '.', '\\pL', '\\w', '\\s', '(?:\\b)', '^', '$',
];
const pieceArb = fc.constantFrom(...PIECES);
const partArb = fc.oneof(
  { weight: 4, arbitrary: pieceArb },
  { weight: 1, arbitrary: fc.tuple(pieceArb, fc.constantFrom('{2}', '{3}', '{1,2}', '+', '?', '*')).map(([p, r]) => `(?:${p})${r}`) },
  { weight: 1, arbitrary: fc.tuple(pieceArb, pieceArb).map(([a, b]) => `(?:${a}|${b})`) },
);
const branchArb = fc.array(partArb, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
const patternArb = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof({ weight: 3, arbitrary: branchArb }, { weight: 1, arbitrary: fc.constantFrom('tiananmen', 'core\\.quotepath', 'quoted.*filename') }), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([fold, branches]) => `${fold ? '(?i)' : ''}(${branches.join('|')})`);
const textArb = fc
  .array(fc.constantFrom('6', '4', '.', '\\', 'k', 'K', '\u212a', 's', 'S', 'ſ', 'é', 'É', '😀', '\ud83d', '\ude00', '\n', ' ', 'x', 'a', '0', '9', 'tiananmen', 'core.quotepath', 'quoted filename'), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));

describe('gates for alternatives without literals', () => {
  it('gives a gate to fixed skeletons with two set positions, none otherwise', () => {
    expect(gate('6.4')).not.toBeNull();
    expect(gate('\\\\[0-9]{3}\\\\[0-9]{3}')).not.toBeNull();
    expect(gate('\\d+x?')).toBeNull();
    expect(gate('[a-z]{2}')).toBeNull();
    expect(gate('.6.')).toBeNull();
  });

  it('finds the skeleton with its folds, surrogate pairs and "any" positions', () => {
    const g = gate('(?i)6.k') as NonNullable<ReturnType<typeof gate>>;
    expect(g.test('x6-K')).toBe(true);
    expect(g.test('6😀\u212a')).toBe(true);
    expect(g.test('6😀x k')).toBe(false);
    expect(g.test('6k')).toBe(false);
    expect((gate('\\\\[0-9]{3}') as NonNullable<ReturnType<typeof gate>>).test('C:\\dir\\123')).toBe(true);
    expect((gate('\\\\[0-9]{3}') as NonNullable<ReturnType<typeof gate>>).test('C:\\dir\\12x')).toBe(false);
  });

  it('is sound: whenever RE2 matches the alternative, its gate holds', () => {
    // A small alphabet on both sides, so that skeletons do occur in the texts.
    const few = fc.constantFrom('6', '4', '\\\\', 'k', 'é', '😀', '[0-9]', '.', '\\pL', '[^x]', '\\w', '(?:x|4)?');
    const branch = fc.array(few, { minLength: 2, maxLength: 4 }).map((p) => p.join(''));
    const text = fc
      .array(fc.constantFrom('6', '4', '\\', 'K', 'k', '\u212a', 'é', 'É', '😀', '\ud83d', '\n', 'x', '0'), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(branch, fc.boolean(), text, (branch, fold, text) => {
        const regex = `${fold ? '(?i)' : ''}${branch}`;
        const g = gate(regex);
        if (g === null) return;
        if (new RE2(regex, 'u').test(Buffer.from(text, 'utf8'))) expect(g.test(text), `${regex} on ${JSON.stringify(text)}`).toBe(true);
      }),
      { numRuns: 5000 },
    );
  }, 120_000); // thousands of property runs: past vitest's 5 s default on a loaded 2-core box (Node 26 in CI)

  it('serves the deadends shapes through the prefilter, not RE2.Set', () => {
    const { bank } = buildBank([
      makeRule('a', ['(?i)(tiananmen|tian.anmen|6.4|june 4.*1989|六四|天安门|tank man|八九六四)']),
      makeRule('b', ['(?i)\\\\[0-9]{3}\\\\[0-9]{3}|core\\.quotepath|quoted.*filename']),
    ]);
    expect(bank.stats).toMatchObject({ prefiltered: 2, unfiltered: 0 });
    expect(bank.match('v6.4 and "C:\\347\\201"')).toEqual([
      { rule: 0, pattern: 0, start: 1, end: 4 },
      { rule: 1, pattern: 0, start: 12, end: 20 },
    ]);
    expect(bank.match('v6\n4 C:\\34\\201')).toEqual([]);
  });

  it('keeps the bank equal to testing each rule’s regexes one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.array(patternArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 8 }), fc.array(textArb, { minLength: 1, maxLength: 10 }), (rules, texts) => {
        const made = rules.map((patterns, i) => makeRule(`r${i}`, patterns));
        const { bank } = buildBank(made);
        const reference = new ReferenceMatcher(made);
        for (const text of texts) expect(bank.match(text), `${JSON.stringify(rules)} on ${JSON.stringify(text)}`).toEqual(reference.match(text));
        bank.close();
      }),
      { numRuns: 300 },
    );
  }, 120_000); // thousands of property runs: past vitest's 5 s default on a loaded 2-core box (Node 26 in CI)
});
