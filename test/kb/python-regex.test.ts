import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { pythonRegexToRe2 } from '../../src/kb/python-regex.js';

const re2 = (source: string): RE2 => new RE2(pythonRegexToRe2(source).regex, 'u');

describe('pythonRegexToRe2', () => {
  it('makes the regex case-insensitive, as deadends searches with re.IGNORECASE', () => {
    expect(pythonRegexToRe2('Connection refused')).toEqual({ regex: '(?i)Connection refused', rewrites: [] });
    expect(re2('Connection refused').test('CONNECTION REFUSED')).toBe(true);
  });

  it('does not add a second (?i) when the regex already starts with one', () => {
    expect(pythonRegexToRe2('(?i)timeout').regex).toBe('(?i)timeout');
    expect(pythonRegexToRe2('(?si)a.b').regex).toBe('(?si)a.b');
  });

  it('rewrites \\Z to \\z, which RE2 knows as end of text', () => {
    expect(pythonRegexToRe2('done\\Z')).toEqual({ regex: '(?i)done\\z', rewrites: ['\\Z → \\z'] });
    expect(re2('done\\Z').test('all done')).toBe(true);
    expect(re2('done\\Z').test('done, then more')).toBe(false);
  });

  it('leaves an escaped backslash followed by Z alone', () => {
    expect(pythonRegexToRe2('C:\\\\Zone')).toEqual({ regex: '(?i)C:\\\\Zone', rewrites: [] });
    expect(re2('C:\\\\Zone').test('C:\\Zone')).toBe(true);
  });

  it('rewrites {,n} to {0,n}: a quantifier in Python, literal text in RE2', () => {
    const { regex, rewrites } = pythonRegexToRe2('retry.{,3}failed');
    expect(regex).toBe('(?i)retry.{0,3}failed');
    expect(rewrites).toEqual(['{,3} → {0,3}']);
    expect(re2('retry.{,3}failed').test('retry 1 failed')).toBe(true);
    expect(re2('retry.{,3}failed').test('retry.{,3}failed')).toBe(false);
  });

  it('does not touch {,n} inside a character class or after an escaped brace', () => {
    expect(pythonRegexToRe2('[{,3}]x').regex).toBe('(?i)[{,3}]x');
    expect(pythonRegexToRe2('[]{,3}]x').regex).toBe('(?i)[]{,3}]x');
    expect(pythonRegexToRe2('a\\{,3}').regex).toBe('(?i)a\\{,3}');
  });

  it('drops (?#…) comments, which RE2 rejects', () => {
    const { regex, rewrites } = pythonRegexToRe2('EMFILE(?# too many open files)');
    expect(regex).toBe('(?i)EMFILE');
    expect(rewrites).toEqual(['(?#…) comment dropped']);
  });

  it('leaves lookaround and backreferences for RE2 to reject', () => {
    expect(pythonRegexToRe2('a(?=b)').regex).toBe('(?i)a(?=b)');
    expect(pythonRegexToRe2('(?P<x>a)(?P=x)').regex).toBe('(?i)(?P<x>a)(?P=x)');
  });
});
