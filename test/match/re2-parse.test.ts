import { describe, expect, it } from 'vitest';
import { UnsupportedSyntax, parseRe2, type RegexNode } from '../../src/match/re2-parse.js';

const ch = (c: string, fold = false): RegexNode => ({ type: 'char', cp: c.codePointAt(0) as number, fold });
const word = (s: string, fold = false): RegexNode => ({ type: 'concat', items: Array.from(s).map((c) => ch(c, fold)) });

describe('parseRe2', () => {
  it('parses literals, alternation and groups', () => {
    expect(parseRe2('ab|c')).toEqual({ type: 'alt', items: [word('ab'), ch('c')] });
    expect(parseRe2('(?:ab)(c)')).toEqual({ type: 'concat', items: [word('ab'), ch('c')] });
    expect(parseRe2('(?P<name>x)')).toEqual(ch('x'));
    expect(parseRe2('(|a)')).toEqual({ type: 'alt', items: [{ type: 'empty' }, ch('a')] });
  });

  it('applies repetition to the last atom only, with every quantifier form', () => {
    expect(parseRe2('ab*')).toEqual({ type: 'concat', items: [ch('a'), { type: 'repeat', min: 0, max: -1, item: ch('b') }] });
    expect(parseRe2('a+?')).toEqual({ type: 'repeat', min: 1, max: -1, item: ch('a') });
    expect(parseRe2('a??')).toEqual({ type: 'repeat', min: 0, max: 1, item: ch('a') });
    expect(parseRe2('a{2}')).toEqual({ type: 'repeat', min: 2, max: 2, item: ch('a') });
    expect(parseRe2('a{2,}')).toEqual({ type: 'repeat', min: 2, max: -1, item: ch('a') });
    expect(parseRe2('a{0,3}?')).toEqual({ type: 'repeat', min: 0, max: 3, item: ch('a') });
  });

  it('reads a "{" that is not a repetition as a literal, as RE2 does', () => {
    expect(parseRe2('a{')).toEqual(word('a{'));
    expect(parseRe2('a{,3}')).toEqual(word('a{,3}'));
    // RE2 rejects leading zeros in counts, so this is literal text too.
    expect(parseRe2('a{01}')).toEqual(word('a{01}'));
    expect(parseRe2('{x}')).toEqual(word('{x}'));
  });

  it('tracks (?i) to the end of the group, across alternatives, and (?i:…) inside only', () => {
    expect(parseRe2('a(?i)b|c')).toEqual({ type: 'alt', items: [{ type: 'concat', items: [ch('a'), ch('b', true)] }, ch('c', true)] });
    expect(parseRe2('((?i)a)b')).toEqual({ type: 'concat', items: [ch('a', true), ch('b')] });
    expect(parseRe2('(?i:a)b')).toEqual({ type: 'concat', items: [ch('a', true), ch('b')] });
    expect(parseRe2('(?i)a(?-i)b')).toEqual({ type: 'concat', items: [ch('a', true), ch('b')] });
    expect(parseRe2('(?sm)a')).toEqual(ch('a'));
  });

  it('decodes escapes to the code points RE2 reads', () => {
    expect(parseRe2('\\x41\\x{263a}\\101\\0\\n\\t\\.\\_')).toEqual({
      type: 'concat',
      items: [ch('A'), ch('☺'), ch('A'), ch('\0'), ch('\n'), ch('\t'), ch('.'), ch('_')],
    });
    expect(parseRe2('\\Qa.b\\E*')).toEqual({ type: 'concat', items: [ch('a'), ch('.'), { type: 'repeat', min: 0, max: -1, item: ch('b') }] });
    expect(parseRe2('\\Qa|b')).toEqual(word('a|b'));
    expect(parseRe2('a\\Q\\E*')).toEqual({ type: 'repeat', min: 0, max: -1, item: ch('a') });
  });

  it('treats anchors and word boundaries as empty, and classes it does not enumerate as any', () => {
    expect(parseRe2('^\\bx\\B$\\A\\z')).toEqual({
      type: 'concat',
      items: [{ type: 'empty' }, { type: 'empty' }, ch('x'), { type: 'empty' }, { type: 'empty' }, { type: 'empty' }, { type: 'empty' }],
    });
    expect(parseRe2('.')).toEqual({ type: 'any' });
    expect(parseRe2('\\pL')).toEqual({ type: 'any' });
    expect(parseRe2('\\p{Greek}')).toEqual({ type: 'any' });
    expect(parseRe2('\\C')).toEqual({ type: 'any' });
    expect(parseRe2('\\D')).toEqual({ type: 'any' });
    expect(parseRe2('[[:alpha:]]')).toEqual({ type: 'any' });
    expect(parseRe2('[^a]')).toEqual({ type: 'any' });
  });

  it('enumerates small classes, with ranges, escapes and the special places of ] and -', () => {
    expect(parseRe2('[a-c]')).toEqual({ type: 'class', ranges: [0x61, 0x63], fold: false });
    expect(parseRe2('[]a]')).toEqual({ type: 'class', ranges: [0x5d, 0x5d, 0x61, 0x61], fold: false });
    expect(parseRe2('[a-]')).toEqual({ type: 'class', ranges: [0x2d, 0x2d, 0x61, 0x61], fold: false });
    expect(parseRe2('[\\d]')).toEqual({ type: 'class', ranges: [0x30, 0x39], fold: false });
    expect(parseRe2('(?i)[\\x41\\]]')).toEqual({ type: 'class', ranges: [0x41, 0x41, 0x5d, 0x5d], fold: true });
    // "[:" without a closing ":]" is just a "[" member.
    expect(parseRe2('[[:a]')).toEqual({ type: 'class', ranges: [0x3a, 0x3a, 0x5b, 0x5b, 0x61, 0x61], fold: false });
  });

  it('reads astral characters as one code point', () => {
    expect(parseRe2('😀')).toEqual(ch('😀'));
  });

  it('throws UnsupportedSyntax on what RE2 would reject', () => {
    for (const bad of ['(', ')', 'a**', '*a', '\\1', '\\xZZ', '(?<=a)', '(?P=n)', '[a', '\\', '(?z)']) {
      expect(() => parseRe2(bad), bad).toThrow(UnsupportedSyntax);
    }
  });
});
