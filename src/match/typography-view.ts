/**
 * A record's text with the typography of web pages, editors and East Asian input methods folded
 * to the ASCII its logger printed: no-break and narrow spaces (U+00A0, U+2007, U+202F) to a space,
 * curly quotes (‘ ’ “ ”) to ' and ", full-width forms (：（）［］＝, U+FF01-U+FF5E) to their ASCII
 * twins. A message copied from a rendered page or retyped in a ticket (`can’t start new thread`,
 * `SocketException:\u00a0Too many open files`, `java.net.ConnectException：Cannot assign requested
 * address`) then reads as the format string its rule was written from.
 *
 * Only a text that holds such a character gets this view. One character is replaced by one, so
 * offsets are the text's own.
 */
import type { TextView } from './text-view.js';

const TYPOGRAPHY = /[\u00a0\u2007\u202f\u2018\u2019\u201c\u201d\uff01-\uff5e]/;
const TYPOGRAPHY_ALL = /[\u00a0\u2007\u202f\u2018\u2019\u201c\u201d\uff01-\uff5e]/g;

function fold(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01) return String.fromCharCode(code - 0xfee0);
  if (code === 0x2018 || code === 0x2019) return "'";
  if (code === 0x201c || code === 0x201d) return '"';
  return ' ';
}

/** The text with its typography folded, or undefined when it holds none. */
export function typographyView(text: string): TextView | undefined {
  if (!TYPOGRAPHY.test(text)) return undefined;
  return { text: text.replace(TYPOGRAPHY_ALL, fold), original: (offset) => offset };
}
