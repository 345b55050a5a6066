/**
 * Is a record binary (compressed, encrypted, an image, random bytes) rather than text? Only the
 * head is read (BINARY_SAMPLE bytes), so the cost per record is flat.
 *
 * Control bytes alone do not tell: uniform random bytes are ~10.5% control bytes, and so is
 * compressed data, while a text log may carry a few. What text almost never has is both: control
 * bytes *and* bytes that are not UTF-8. Random bytes are ~45% invalid UTF-8; a Latin-1 or
 * windows-1251 log may be mostly invalid UTF-8 but has no control bytes. Measured on loghub, the
 * rules' examples, random, gzip/zstd/deflate output and images: docs/binary-detection.md.
 */

export const BINARY_SAMPLE = 4096;

/** Control bytes that text logs do not contain. Tab, LF, VT, FF, CR and ESC (ANSI colours) are text. */
export function isJunkByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f;
}

/** Formats whose first bytes say what they are; none can start a text line. */
const MAGIC: readonly (readonly number[])[] = [
  [0x1f, 0x8b], // gzip
  [0x28, 0xb5, 0x2f, 0xfd], // zstd frame
  [0x04, 0x22, 0x4d, 0x18], // lz4 frame
  [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59], // snappy framing
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x50, 0x4b, 0x03, 0x04], // zip, jar, docx
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
];

/** The first byte of some magic number: every text line is asked, few get past this. */
const MAGIC_FIRST = new Uint8Array(256);
for (const m of MAGIC) MAGIC_FIRST[m[0] as number] = 1;

export function hasBinaryMagic(buf: Uint8Array): boolean {
  if (buf.length === 0 || MAGIC_FIRST[buf[0] as number] === 0) return false;
  return MAGIC.some((m) => m.length <= buf.length && m.every((b, i) => buf[i] === b));
}

/** 1 for the bytes isJunkByte says are junk: one load per byte on the hot path. */
const JUNK = new Uint8Array(256);
for (let b = 0; b < 256; b++) JUNK[b] = isJunkByte(b) ? 1 : 0;

/**
 * Bytes of `buf[0, end)` that are not part of a well-formed UTF-8 sequence (overlongs,
 * surrogates and values past U+10FFFF count as invalid, as in WHATWG decoding). A sequence that
 * starts before `end` is read to its end, so a sample's cut is not held against the record.
 */
export function invalidUtf8Bytes(buf: Uint8Array, end: number): number {
  let invalid = 0;
  let i = 0;
  while (i < end) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length || !continues(buf, i, len)) {
      invalid++;
      i++;
      continue;
    }
    i += len;
  }
  return invalid;
}

function continues(buf: Uint8Array, i: number, len: number): boolean {
  const lead = buf[i] as number;
  const second = buf[i + 1] as number;
  // The second byte's range depends on the lead (no overlongs, surrogates or > U+10FFFF).
  const lo = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const hi = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  if (second < lo || second > hi) return false;
  for (let k = 2; k < len; k++) if (((buf[i + k] as number) & 0xc0) !== 0x80) return false;
  return true;
}

export interface ByteProfile {
  sampled: number;
  junk: number;
  invalid: number;
}

export function byteProfile(buf: Uint8Array): ByteProfile {
  const n = Math.min(buf.length, BINARY_SAMPLE);
  let junk = 0;
  for (let i = 0; i < n; i++) if (isJunkByte(buf[i] as number)) junk++;
  return { sampled: n, junk, invalid: invalidUtf8Bytes(buf, n) };
}

/**
 * The verdict: one junk byte in eight, as before; or, at once, one in forty junk and one in ten
 * not UTF-8, with at least 2 and 4 of them (a short line with one stray control byte and an
 * accented word stays text); or a known binary format's magic number.
 */
export function profileIsBinary({ sampled, junk, invalid }: ByteProfile): boolean {
  if (sampled === 0) return false;
  return junk * 8 > sampled || (junk >= 2 && invalid >= 4 && junk * 40 > sampled && invalid * 10 > sampled);
}

/**
 * hasBinaryMagic(buf) || profileIsBinary(byteProfile(buf)), asked of every record that is not
 * JSON: the UTF-8 count is made only when the verdict depends on it (nearly every text line has
 * no junk byte at all, and then it does not). test/decode/binary.test.ts checks the two agree.
 */
export function looksBinaryBytes(buf: Uint8Array): boolean {
  if (hasBinaryMagic(buf)) return true;
  const n = Math.min(buf.length, BINARY_SAMPLE);
  let junk = 0;
  for (let i = 0; i < n; i++) junk += JUNK[buf[i] as number] as number;
  if (n === 0) return false;
  if (junk * 8 > n) return true;
  if (junk < 2 || junk * 40 <= n) return false;
  return profileIsBinary({ sampled: n, junk, invalid: invalidUtf8Bytes(buf, n) });
}
