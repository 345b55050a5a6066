import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUtf8, isWellFormedString, looksBinary, looksBinaryString, truncateStringToBytes, utf8Boundary } from '../../src/decode/bytes.js';

describe('utf8Boundary', () => {
  it('never cuts a character in two', () => {
    const buf = Buffer.from('a€b😀c'); // 1 + 3 + 1 + 4 + 1 bytes
    const expected = [0, 1, 1, 1, 4, 5, 5, 5, 5, 9, 10];
    for (let limit = 0; limit <= buf.length; limit++) expect(utf8Boundary(buf, limit), `limit ${limit}`).toBe(expected[limit]);
    expect(utf8Boundary(buf, 1000)).toBe(buf.length);
  });

  it('leaves invalid bytes alone for the decoder to flag', () => {
    expect(utf8Boundary(Buffer.from([0x41, 0x80, 0x80, 0x80, 0x80]), 5)).toBe(5);
    expect(utf8Boundary(Buffer.from([0xff, 0xfe]), 2)).toBe(2);
  });

  it('any cut of valid UTF-8 stays valid UTF-8 and is a prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(200), (s, limit) => {
        const buf = Buffer.from(s);
        const end = utf8Boundary(buf, limit);
        expect(end).toBeLessThanOrEqual(Math.min(limit, buf.length));
        expect(end).toBeGreaterThanOrEqual(Math.min(limit, buf.length) - 3);
        expect(isValidUtf8(buf.subarray(0, end))).toBe(true);
      }),
    );
  });
});

describe('truncateStringToBytes', () => {
  it('returns the string itself when it fits', () => {
    const s = 'short';
    expect(truncateStringToBytes(s, 100)).toBe(s);
    expect(truncateStringToBytes('ééé', 6)).toBe('ééé');
  });

  it('cuts to the byte limit on a character boundary', () => {
    expect(truncateStringToBytes('ééé', 5)).toBe('éé');
    expect(Buffer.byteLength(truncateStringToBytes('😀'.repeat(10), 11))).toBe(8);
  });
});

describe('binary detection', () => {
  it('flags payloads with many control bytes, in Buffers and strings alike', () => {
    const avroish = Buffer.from([0x02, 0x00, 0x0c, 0x6f, 0x72, 0x64, 0x65, 0x72, 0x00, 0x00, 0x01, 0x14]);
    expect(looksBinary(avroish)).toBe(true);
    expect(looksBinaryString(avroish.toString('latin1'))).toBe(true);
  });

  it('does not flag text with tabs, CR/LF, form feeds or ANSI escapes', () => {
    const text = '\u001b[1;31mERROR\u001b[0m\tpool\r\nexhausted\f';
    expect(looksBinary(Buffer.from(text))).toBe(false);
    expect(looksBinaryString(text)).toBe(false);
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });

  it('tolerates a few stray control bytes in a long line', () => {
    const line = `${'x'.repeat(100)}\u0000${'y'.repeat(100)}`;
    expect(looksBinaryString(line)).toBe(false);
  });
});

describe('isWellFormedString', () => {
  it('spots lone surrogates', () => {
    expect(isWellFormedString('ok 😀')).toBe(true);
    expect(isWellFormedString('bad \uD800')).toBe(false);
    expect(isWellFormedString('\uDC00bad')).toBe(false);
  });
});
