import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { CodecError, registerCodecs, TRANSFORMS, type CodecName } from '../../../src/kafka/codecs/registry.js';
import { RUNTIME_ZSTD } from '../../../src/kafka/codecs/zstd-runtime.js';

registerCodecs();

const lines = Buffer.from(
  Array.from({ length: 500 }, (_, i) => JSON.stringify({ ts: `2024-05-01T12:00:${i % 60}Z`, level: i % 7 ? 'info' : 'error', msg: `GET /api/v1/items/${i} 200 ${i % 13} ms` })).join('\n'),
);

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(payload: Buffer): Promise<Buffer>;
}
const codec = (type: CompressionTypes) => (CompressionCodecs as Record<number, () => KafkajsCodec>)[type]!();

const TYPES: Record<CodecName, CompressionTypes> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

describe('codecs registered with kafkajs', () => {
  for (const [name, type] of Object.entries(TYPES) as [CodecName, CompressionTypes][]) {
    const canCompress = name !== 'zstd' || RUNTIME_ZSTD;
    it.runIf(canCompress)(`${name}: compresses and decompresses through kafkajs' plug-in point`, async () => {
      const c = codec(type);
      const packed = await c.compress({ buffer: lines });
      expect(packed.length).toBeLessThan(lines.length / 3);
      expect((await c.decompress(packed)).equals(lines)).toBe(true);
    });

    it(`${name}: a payload that does not decompress fails with a CodecError naming ${name}`, async () => {
      const garbage = Buffer.from('this is not a compressed payload at all, not even close'.repeat(3));
      const err = await codec(type).decompress(garbage).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CodecError);
      expect((err as CodecError).codec).toBe(name);
      expect((err as CodecError).kind).toBe('failed');
    });
  }

  it('zstd decompresses on every Node line (runtime zlib or fzstd), frames with and without a content size', async () => {
    // A frame without content size, as the Java client's streaming encoder writes: one raw block.
    // Magic, frame header descriptor 0 (no size, no checksum, window descriptor follows), window 2^10·…
    const text = Buffer.from('abcabcabc hello zstd');
    const noSizeFrame = Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00]),
      // last block, raw, size = text.length: (size << 3) | (0 << 1) | 1
      Buffer.from([((text.length << 3) | 1) & 0xff, ((text.length << 3) >> 8) & 0xff, ((text.length << 3) >> 16) & 0xff]),
      text,
    ]);
    expect((await TRANSFORMS.zstd.decompress(noSizeFrame)).equals(text)).toBe(true);
  });

  it('a Node without zlib zstd has no zstd compressor (the worker then refuses zstd output)', () => {
    expect(TRANSFORMS.zstd.compress === undefined).toBe(!RUNTIME_ZSTD);
  });
});
