import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressedRecords, cp1251Lines, latin1LinesWithControls, loghubLines, randomRecords, ruleExamples, zstdCompressor } from '../../bench/binary-corpus.js';
import { byteProfile, hasBinaryMagic, invalidUtf8Bytes, looksBinaryBytes } from '../../src/decode/binary.js';
import { decodeRecord } from '../../src/decode/decode-record.js';

const lines = loghubLines();

describe('binary detection on real text', () => {
  it('reads the loghub files as text, every line', () => {
    expect(lines.length).toBeGreaterThan(30_000);
    expect(lines.filter((l) => looksBinaryBytes(l))).toEqual([]);
  });

  it("reads the rules' examples as text", async () => {
    const examples = await ruleExamples();
    expect(examples.length).toBeGreaterThan(100);
    expect(examples.filter((e) => looksBinaryBytes(e)).map(String)).toEqual([]);
  });

  it('keeps lines with a Latin-1 phrase and a stray control byte as text', () => {
    const harder = latin1LinesWithControls(lines);
    expect(harder.filter((l) => looksBinaryBytes(l)).map((l) => l.toString('latin1'))).toEqual([]);
    expect(cp1251Lines(500).filter((l) => looksBinaryBytes(l))).toEqual([]);
  });
});

describe('binary detection on binary', () => {
  it('classifies random bytes of 64 bytes and more as binary', () => {
    for (const size of [256, 4096, 65536]) expect(randomRecords(100, [size]).filter((r) => !looksBinaryBytes(r))).toEqual([]);
    // 64 random bytes hold a couple of control bytes only: nearly all, not all, are caught.
    expect(randomRecords(1000, [64]).filter((r) => looksBinaryBytes(r)).length).toBeGreaterThan(950);
  });

  it('classifies compressed text as binary, with or without its header', () => {
    const sets = compressedRecords(lines, 100);
    expect(sets.map((s) => s.name)).toEqual(expect.arrayContaining(['gzip', 'gzip, header cut off', 'raw deflate (no header)', 'brotli (no header)']));
    if (zstdCompressor() !== undefined) expect(sets.map((s) => s.name)).toContain('zstd, header cut off');
    for (const { name, records } of sets) expect({ name, missed: records.filter((r) => !looksBinaryBytes(r)).length }).toEqual({ name, missed: 0 });
    // Compressing the corpus takes seconds on a loaded machine: no timing is asserted.
  }, 60_000);

  it('knows the magic numbers of compressed data and images', () => {
    expect(hasBinaryMagic(zlib.gzipSync('hello'))).toBe(true);
    expect(hasBinaryMagic(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe(true);
    expect(hasBinaryMagic(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(hasBinaryMagic(Buffer.from('PK is not a zip'))).toBe(false);
  });

  it('dead-letters 64 KiB of random bytes as binary when decoding, where control bytes alone let it pass', () => {
    const value = randomBytes(65536);
    const p = byteProfile(value);
    expect(p.junk * 8).toBeLessThan(p.sampled);
    expect(decodeRecord(value, { maxRecordBytes: 1 << 20 }).issues).toContain('binary');
    expect(decodeRecord(value.subarray(0, 3000), { maxRecordBytes: 1 << 20 }).issues).toContain('binary');
  });
});

describe('invalidUtf8Bytes', () => {
  it('counts bytes outside well-formed sequences', () => {
    expect(invalidUtf8Bytes(Buffer.from('héllo ✓ 😀'), Buffer.byteLength('héllo ✓ 😀'))).toBe(0);
    expect(invalidUtf8Bytes(Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf5, 0x80]), 7)).toBe(7);
    expect(invalidUtf8Bytes(Buffer.from('caf\xe9', 'latin1'), 4)).toBe(1);
  });

  it('reads a sequence cut by the sample to its end', () => {
    const buf = Buffer.from('ab✓');
    expect(invalidUtf8Bytes(buf, 3)).toBe(0);
  });
});
