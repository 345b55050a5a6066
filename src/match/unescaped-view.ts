/**
 * A record's text with the escapes of another format undone: a JSON document logged as a string
 * inside a message (`{"error":"java.net.SocketException: Too many open files\n\tat …"}` printed
 * with its `\"` and `\n`), a Python repr (`OSError(24, 'Too many open files')` as `\'`), a log
 * page or an issue scraped as HTML (`&quot;`, `&#39;`, `&lt;`), Go's and Gson's HTML-safe
 * escapes (`\u003e`, `\u0027`). Rules are written from the format strings, which hold the plain
 * characters; the decoder only undoes the escapes of the record's own JSON.
 *
 * Only a text that holds such an escape gets this view, so the cost is paid by those records alone.
 */
import { rewriteView, type TextView } from './text-view.js';

const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|[nrt"'\\/])|&(?:quot|apos|amp|lt|gt|#\d{1,5}|#x[0-9a-fA-F]{1,4});/g;
/** Cheap first test: a backslash or an ampersand anywhere. */
const MAYBE = /[\\&]/;

const NAMED: Readonly<Record<string, string>> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>' };
const SIMPLE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };

function unescape(m: RegExpExecArray): string | undefined {
  const s = m[0];
  if (s.startsWith('\\u')) return String.fromCharCode(Number.parseInt(s.slice(2), 16));
  if (s.startsWith('\\')) return SIMPLE[s.slice(1)];
  const name = s.slice(1, -1);
  if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
  if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
  return NAMED[name];
}

/** The text with its escapes undone, or undefined when it holds none. */
export function unescapedView(text: string): TextView | undefined {
  if (!MAYBE.test(text)) return undefined;
  const view = rewriteView(text, ESCAPE, unescape);
  return view.text === text ? undefined : view;
}
