import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf16Units } from '../../src/match/utf8-offsets.js';

describe('utf16Units', () => {
  it('counts UTF-16 units of a UTF-8 span', () => {
    const buf = Buffer.from('aé连😀b', 'utf8');
    expect(utf16Units(buf, 0, buf.length)).toBe(6);
    expect(utf16Units(buf, 1, 3)).toBe(1); // é
    expect(utf16Units(buf, 6, 10)).toBe(2); // 😀
  });

  it('agrees with the string for every character boundary, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\ud800', '\udfff', '\ufffd'))), (parts) => {
        const text = parts.join('');
        const buf = Buffer.from(text, 'utf8');
        // Node writes a lone surrogate as U+FFFD: 3 bytes, still one unit, as in the prefix.
        for (let i = 0; i <= text.length; i++) {
          const before = text.charCodeAt(i - 1);
          const at = text.charCodeAt(i);
          if (before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff) continue; // inside a pair
          expect(utf16Units(buf, 0, Buffer.byteLength(text.slice(0, i), 'utf8'))).toBe(i);
        }
        expect(utf16Units(buf, 0, buf.length)).toBe(text.length);
      }),
    );
  });
});
