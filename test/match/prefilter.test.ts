import fc from 'fast-check';
import type RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { foldString } from '../../src/match/case-fold.js';
import { compilePattern, re2Syntax } from '../../src/match/compile.js';
import { DEFAULT_PREFILTER_OPTIONS, extractPrefilter, holds, type Condition, type PrefilterResult } from '../../src/match/prefilter.js';
import { patternWithTextsArb } from './support/regex-arbitrary.js';

function prefilterOf(regex: string): PrefilterResult {
  return extractPrefilter(re2Syntax(compilePattern(regex)));
}

/** The condition with atoms shown unfolded-lowercase, for readable expectations. */
function show(c: Condition): unknown {
  switch (c.op) {
    case 'all':
      return 'ALL';
    case 'atom':
      return c.text.toLowerCase();
    case 'and':
      return { and: c.items.map(show) };
    case 'or':
      return { or: c.items.map(show) };
  }
}

function expectCondition(regex: string, expected: unknown, trigger?: string[]): void {
  const result = prefilterOf(regex);
  expect(result.kind, regex).toBe('prefilter');
  if (result.kind !== 'prefilter') return;
  expect(show(result.condition), regex).toEqual(expected);
  if (trigger !== undefined) expect(result.trigger.map((t) => t.toLowerCase()).sort(), regex).toEqual([...trigger].sort());
}

describe('extractPrefilter', () => {
  it('takes a plain literal whole', () => {
    expectCondition('Connection refused', 'connection refused', ['connection refused']);
  });

  it('ANDs the parts of a concatenation and wakes on the rarest', () => {
    expectCondition('NDK.*build.*failed', { and: ['ndk', 'build', 'failed'] }, ['build']);
  });

  it('ORs alternatives, and multiplies small exact sets in a concatenation', () => {
    expectCondition('(ClassNotFound|NoClassDefFound)Error', { or: ['classnotfounderror', 'noclassdeffounderror'] });
    expectCondition('colou?r', { or: ['color', 'colour'] });
    expectCondition('[Ee]rror [0-3]', { or: ['error 0', 'error 1', 'error 2', 'error 3'] });
  });

  it('folds case, so (?i) and plain patterns share atoms', () => {
    expectCondition('(?i)Too Many Open Files', 'too many open files');
    const plain = prefilterOf('KELVIN');
    const folded = prefilterOf('(?i)kelvin');
    expect(plain).toEqual(folded);
  });

  it('cuts long atoms to a prefix', () => {
    const result = prefilterOf('System\\.Net\\.Http\\.HttpRequestException: No connection could be made');
    expect(result.kind).toBe('prefilter');
    const prefix = 'System.Net.Http.HttpRequestException'.slice(0, DEFAULT_PREFILTER_OPTIONS.maxAtomUnits);
    if (result.kind === 'prefilter') expect(result.trigger).toEqual([foldString(prefix)]);
  });

  it('keeps uncommon two-byte atoms, waking on them only when nothing longer is required', () => {
    expectCondition('\\$<.*error', { and: ['$<', 'error'] }, ['error']);
    expectCondition('W/|ETag.*mismatch', { or: ['w/', { and: ['etag', 'mismatch'] }] }, ['w/', 'mismatch']);
    // Pairs in nearly every record ("re", two digits) filter nothing: they are dropped.
    expectCondition('re.*timeout', 'timeout');
    expectCondition('zq.*timeout|10.*refused', { or: ['refused', { and: ['zq', 'timeout'] }] });
    // One-character atoms never count.
    expect(prefilterOf('6.4|a.b')).toEqual({ kind: 'unfiltered', reason: 'no-literal' });
  });

  it('splits one copy off a counted repetition so it joins the literal around it', () => {
    expectCondition('x[ab]{2,}yz', { and: [{ or: ['xa', 'xb'] }, 'yz'] });
    expectCondition('(abc){3}', 'abc');
  });

  it('leaves patterns with no required literal unfiltered', () => {
    for (const regex of ['.*', 'a?b?', '\\d+', '[a-z]+', '(foo)?', 'x|.*', '', '[a-z]{3}']) {
      expect(prefilterOf(regex).kind, regex).toBe('unfiltered');
    }
  });

  it('drops an optional part but keeps what is required around it', () => {
    expectCondition('timeout(after \\d+ ms)?', 'timeout');
    expectCondition('pool (is )*exhausted', { and: ['pool ', 'exhausted'] }, ['exhausted']);
  });

  it('treats astral letters with case variants under (?i) as unknown characters', () => {
    // Deseret capital/small letters are fold partners; the scanner compares surrogates exactly.
    expectCondition('(?i)abc\\x{10400}def', { and: ['abc', 'def'] });
    expect(prefilterOf('abc\\x{10400}def')).toMatchObject({ condition: { op: 'atom', text: foldString('abc\u{10400}def') } });
  });

  it('is sound: whenever RE2 finds a match, the condition holds and a trigger atom occurs', () => {
    fc.assert(
      fc.property(patternWithTextsArb, ({ source, texts }) => {
        let re: RE2;
        try {
          re = compilePattern(source);
        } catch {
          return; // RE2 rejects a few generated spellings (e.g. repetition limits): not our case
        }
        const result = extractPrefilter(re2Syntax(re));
        if (result.kind !== 'prefilter') return;
        for (const text of texts) {
          if (!re.test(text)) continue;
          const folded = foldString(text);
          const has = (atom: string): boolean => folded.includes(atom);
          expect(holds(result.condition, has), `${source} on ${JSON.stringify(text)}`).toBe(true);
          expect(result.trigger.some(has), `${source} trigger on ${JSON.stringify(text)}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
