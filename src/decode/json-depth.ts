/**
 * JSON.parse copes with any nesting, but JSON.stringify (writing the tagged event) recurses and
 * overflows the stack a few thousand levels down. Records nested deeper than the limit are
 * therefore never parsed.
 */

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Cheap upper bound: nesting can never exceed the number of openers. Stops counting past `limit`. */
function openersAtMost(s: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    let at = s.indexOf(opener);
    while (at >= 0) {
      if (++count > limit) return false;
      at = s.indexOf(opener, at + 1);
    }
  }
  return true;
}

/** True when no object/array in the JSON text is nested deeper than `limit` (strings are skipped). */
export function jsonDepthWithin(s: string, limit: number): boolean {
  if (openersAtMost(s, limit)) return true;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return false;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return true;
}
