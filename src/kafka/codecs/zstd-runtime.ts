/**
 * zstd from the runtime when it has it: node:zlib gained zstd in Node 22.15 / 23.8 (the fastest
 * choice, no dependency). Node 20 lacks it: there decompression falls back to fzstd (pure
 * JavaScript, no native code) and compression is not available.
 */
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { decompress as fzstdDecompress } from 'fzstd';

type Transform = (input: Buffer) => Promise<Buffer>;

interface ZlibWithZstd {
  zstdCompress?: (input: Buffer, options: object, callback: (err: Error | null, out: Buffer) => void) => void;
  zstdDecompress?: (input: Buffer, callback: (err: Error | null, out: Buffer) => void) => void;
}

const z = zlib as unknown as ZlibWithZstd;

/** True when this Node compresses zstd itself (and so the worker can write zstd). */
export const RUNTIME_ZSTD = typeof z.zstdCompress === 'function' && typeof z.zstdDecompress === 'function';

export const zstdDecompress: Transform = RUNTIME_ZSTD
  ? (promisify(z.zstdDecompress as NonNullable<ZlibWithZstd['zstdDecompress']>) as Transform)
  : async (input) => {
      const out = fzstdDecompress(input);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    };

const compressAsync = RUNTIME_ZSTD
  ? (promisify(z.zstdCompress as NonNullable<ZlibWithZstd['zstdCompress']>) as (input: Buffer, options: object) => Promise<Buffer>)
  : undefined;

/** zstd level 3 (zstd's own default): the level librdkafka and the Java client use by default. */
export const zstdCompress: Transform | undefined =
  compressAsync === undefined ? undefined : (input) => compressAsync(input, {});
