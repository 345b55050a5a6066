// looksBinaryBytes skips the UTF-8 count when the junk bytes alone decide: the verdict must be
// the one of the full profile, whatever the bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BINARY_SAMPLE, byteProfile, hasBinaryMagic, looksBinaryBytes, profileIsBinary } from '../../src/decode/binary.js';

const reference = (buf: Uint8Array): boolean => hasBinaryMagic(buf) || profileIsBinary(byteProfile(buf));

/** Bytes drawn mostly from text, with junk bytes, UTF-8 lead and continuation bytes and magic heads mixed in. */
const byte = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 2, arbitrary: fc.constantFrom(0x00, 0x01, 0x08, 0x1f, 0x7f, 0x09, 0x0a, 0x0d, 0x1b) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constantFrom(0x1f, 0x8b, 0x28, 0xb5, 0x89, 0x50, 0x4b, 0xff, 0xd8) },
);

describe('looksBinaryBytes', () => {
  it('says what the full byte profile says', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(byte, { maxLength: 600 }), (random, mixed) => {
        for (const buf of [random, Uint8Array.from(mixed)]) expect(looksBinaryBytes(buf)).toBe(reference(buf));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('agrees at the sample size and at the thresholds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: BINARY_SAMPLE + 100 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 }), fc.nat(), (size, junk, invalid, seed) => {
        const buf = new Uint8Array(size).fill(0x61);
        let x = seed;
        const at = () => (x = (x * 1103515245 + 12345) % 2 ** 31) % size;
        for (let k = 0; k < junk; k++) buf[at()] = 0x01;
        for (let k = 0; k < invalid; k++) buf[at()] = 0xc0;
        expect(looksBinaryBytes(buf)).toBe(reference(buf));
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
