import { describe, expect, it } from 'vitest';
import { patternError } from '../../src/kb/check-pattern.js';

describe('patternError', () => {
  it('accepts RE2 syntax, named groups included', () => {
    expect(patternError('(?i)EADDRNOTAVAIL|(?P<code>10055)')).toBeUndefined();
    expect(patternError('(?<code>WSAENOBUFS)')).toBeUndefined();
  });

  it.each([
    ['a(?=b)', 'RE2 rejects it: invalid perl operator: (?= (RE2 has no lookahead/lookbehind'],
    ['a(?!b)', 'RE2 rejects it: invalid perl operator: (?! (RE2 has no lookahead/lookbehind'],
    ['(?<!a)b', 'RE2 rejects it: invalid perl operator: (?<! (RE2 has no lookahead/lookbehind'],
    ['(a)\\1', 'RE2 rejects it: invalid escape sequence: \\1 (RE2 has no backreferences)'],
    ['(?<n>a)\\k<n>', 'RE2 rejects it: invalid escape sequence: \\k (RE2 has no backreferences)'],
    ['[z-a]', 'RE2 rejects it: invalid character class range: z-a'],
    ['a**', 'RE2 rejects it: bad repetition operator: **'],
  ])('reports %j with RE2’s message', (regex, message) => {
    expect(patternError(regex)).toContain(message);
  });

  it('gives no hint where none applies', () => {
    expect(patternError('x(')).toBe('RE2 rejects it: missing ): x(');
  });

  it.each(['', '.*', 'a*', '(x)?', 'a|'])('rejects %j: it matches the empty string', (regex) => {
    expect(patternError(regex)).toBe('matches the empty string, so it would tag every record');
  });

  it('says what an empty-matching unless guard would do: silence its rule on every record', () => {
    expect(patternError('(fork)?', 'guard')).toBe('matches the empty string, so it would silence the rule on every record');
    expect(patternError('fork', 'guard')).toBeUndefined();
    expect(patternError('a(?=b)', 'guard')).toContain('RE2 has no lookahead/lookbehind');
  });
});
