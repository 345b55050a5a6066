/**
 * RE2 reports byte offsets into the UTF-8 text; callers want UTF-16 indices into the string.
 * Node encodes strings with lone surrogates replaced by U+FFFD (3 bytes, 1 unit), exactly as
 * node-re2 does, so counting UTF-8 sequences gives the same indices node-re2 would report.
 */

/** UTF-16 units in `utf8[from, to)`, given that `from` is a character boundary. */
export function utf16Units(utf8: Uint8Array, from: number, to: number): number {
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = utf8[i] as number;
    // Count lead bytes only; a 4-byte sequence is an astral character: two units.
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}
