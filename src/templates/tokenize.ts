/**
 * Splits a log message into tokens for template mining: on whitespace, and around the
 * separators that glue a variable to a constant in common log wordings (`key=value`,
 * `host:port`, `(value)`, `[value]`, `value,`), so that `blk_123,` and `user=root` yield the
 * constant part as a token of its own. The separators stay tokens, so a template printed from
 * tokens reads like the message.
 *
 * Hand-written on purpose: a generic tokenizer library splits words for search, not log
 * templates, and this loop runs on every unmatched record (one pass, no regex).
 */
const enum Ch {
  Space = 0x20,
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
}

/** Characters that end a token and are a token of their own. */
const SEPARATORS = new Set([0x3d /* = */, 0x2c /* , */, 0x28 /* ( */, 0x29 /* ) */, 0x5b /* [ */, 0x5d /* ] */, 0x7b /* { */, 0x7d /* } */, 0x22 /* " */, 0x3b /* ; */]);

/** True for a one-character token that tokenize() split off as a separator. */
export function isSeparator(token: string): boolean {
  return token.length === 1 && (SEPARATORS.has(token.charCodeAt(0)) || token === ':');
}

/** Up to `max` tokens of `text` (the rest is one final token, so that a huge line stays bounded). */
export function tokenize(text: string, max = 256): string[] {
  const tokens: string[] = [];
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr) {
      if (start >= 0) {
        tokens.push(text.slice(start, i));
        start = -1;
      }
      continue;
    }
    if (SEPARATORS.has(c) || (c === 0x3a /* : */ && isColonSeparator(text, i))) {
      if (start >= 0) tokens.push(text.slice(start, i));
      // `()` and `[]`: an absent value, which is still a value (`from 1.2.3.4 ()` is the same
      // message as `from 1.2.3.4 (host)`).
      else if ((c === 0x29 || c === 0x5d) && i > 0 && text.charCodeAt(i - 1) === (c === 0x29 ? 0x28 : 0x5b)) tokens.push('');
      tokens.push(text[i]!);
      start = -1;
    } else if (start < 0) {
      start = i;
    }
    if (tokens.length >= max - 1) {
      const rest = text.slice(start >= 0 ? start : i + 1).trim();
      if (rest.length > 0) tokens.push(rest);
      return tokens;
    }
  }
  if (start >= 0) tokens.push(text.slice(start));
  return tokens;
}

/**
 * A colon separates when it ends a word (`Error: x`, `key: value`); inside times, IPv6 addresses,
 * URLs and `host:port` it stays part of the token, which is then a variable as a whole.
 */
function isColonSeparator(text: string, i: number): boolean {
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x20;
  return after === 0x20 || after === 0x09;
}
