import { describe, expect, it } from 'vitest';
import { isSeparator, tokenize } from '../../src/templates/tokenize.js';

describe('tokenize', () => {
  it('splits on whitespace and keeps key=value, brackets and commas apart', () => {
    expect(tokenize('user=root, uid=0 (pid 12) [main]')).toEqual(['user', '=', 'root', ',', 'uid', '=', '0', '(', 'pid', '12', ')', '[', 'main', ']']);
  });

  it('splits a colon that ends a word, not one inside times, URLs or host:port', () => {
    expect(tokenize('Error: at 10:12:13 from http://h:80/x host:5070')).toEqual(['Error', ':', 'at', '10:12:13', 'from', 'http://h:80/x', 'host:5070']);
  });

  it('bounds the token count: the rest of a huge line is one last token', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const tokens = tokenize(words.join(' '), 16);
    expect(tokens).toHaveLength(16);
    expect(tokens.slice(0, 15)).toEqual(words.slice(0, 15));
    expect(tokens[15]).toBe(words.slice(15).join(' '));
  });

  it('returns nothing for blank text', () => {
    expect(tokenize('  \t\n ')).toEqual([]);
  });

  it('knows its separators', () => {
    expect(['=', ',', '(', ')', '[', ']', ':'].every(isSeparator)).toBe(true);
    expect(isSeparator('a')).toBe(false);
    expect(isSeparator('==')).toBe(false);
  });
});
