import { compressSync, uncompressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { isXerialFramed, xerialDecode, xerialEncode } from '../../../src/kafka/codecs/snappy-xerial.js';

const raw = {
  compress: async (b: Buffer) => compressSync(b),
  uncompress: async (b: Buffer) => uncompressSync(b) as Buffer,
};

const text = Buffer.from(Array.from({ length: 3000 }, (_, i) => `2024-05-01 12:00:${i % 60} INFO request ${i} served in ${i % 97} ms`).join('\n'));

describe('snappy payloads in Kafka', () => {
  it('reads a raw snappy block, as librdkafka writes it', async () => {
    const out = await xerialDecode(compressSync(text), raw.uncompress);
    expect(out.equals(text)).toBe(true);
  });

  it('writes the xerial framing in 32 KiB blocks and reads it back', async () => {
    const framed = await xerialEncode(text, raw.compress);
    expect(isXerialFramed(framed)).toBe(true);
    expect(framed.readInt32BE(8)).toBe(1);
    expect(text.length).toBeGreaterThan(2 * 32 * 1024);
    const out = await xerialDecode(framed, raw.uncompress);
    expect(out.equals(text)).toBe(true);
  });

  it('reads an empty framed payload as empty', async () => {
    const framed = await xerialEncode(Buffer.alloc(0), raw.compress);
    expect((await xerialDecode(framed, raw.uncompress)).length).toBe(0);
  });

  it('names a block that runs past the end', async () => {
    const framed = await xerialEncode(text, raw.compress);
    await expect(xerialDecode(framed.subarray(0, framed.length - 10), raw.uncompress)).rejects.toThrow(/runs past the end/);
  });
});
