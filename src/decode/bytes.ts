/** Byte-level checks on raw records: UTF-8 boundaries, validity and binary junk. */

import { isUtf8 } from 'node:buffer';
import { BINARY_SAMPLE, isJunkByte } from './binary.js';

/**
 * Largest length <= limit that does not end inside a UTF-8 sequence: when the bytes before the
 * cut are the start of a multi-byte character that does not fit, the cut moves before its lead
 * byte. Needs no byte past the cut, so it also serves a line whose rest was never read.
 */
export function utf8Boundary(buf: Uint8Array, limit: number): number {
  const end = Math.max(0, Math.min(limit, buf.length));
  let i = end - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return end;
  const lead = buf[i] ?? 0;
  const needed = lead >= 0xf8 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  // ASCII or a stray continuation byte: nothing to protect (invalid bytes stay for the decoder to flag).
  if (needed === 1) return end;
  return continuation + 1 >= needed ? end : i;
}

/** Truncates a string so that its UTF-8 encoding fits in `limit` bytes, without splitting a character. */
export function truncateStringToBytes(s: string, limit: number): string {
  if (s.length * 3 <= limit) return s;
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= limit) return s;
  return buf.toString('utf8', 0, utf8Boundary(buf, limit));
}

export function isValidUtf8(buf: Uint8Array): boolean {
  return buf.length === 0 || isUtf8(buf);
}

/** More than one junk byte in eight (12.5%) of the sample makes a string binary (bytes: ./binary.ts). */
function junkShareTooHigh(junk: number, sampled: number): boolean {
  return junk * 8 > sampled;
}

export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, BINARY_SAMPLE);
  let junk = 0;
  for (let i = 0; i < n; i++) if (isJunkByte(buf[i] ?? 0)) junk++;
  return n > 0 && junkShareTooHigh(junk, n);
}

export function looksBinaryString(s: string): boolean {
  const n = Math.min(s.length, BINARY_SAMPLE);
  let junk = 0;
  for (let i = 0; i < n; i++) if (isJunkByte(s.charCodeAt(i))) junk++;
  return n > 0 && junkShareTooHigh(junk, n);
}

/** A JS string with lone surrogates has no UTF-8 encoding; Buffer.from would substitute U+FFFD. */
export function isWellFormedString(s: string): boolean {
  const fn = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof fn === 'function') return fn.call(s);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
