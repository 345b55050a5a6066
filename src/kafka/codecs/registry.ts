/**
 * Registers snappy, lz4 and zstd with kafkajs (which ships gzip only), through its plug-in point
 * `CompressionCodecs`, and wraps every codec, gzip included, so that a payload that does not
 * decompress fails with a CodecError naming the codec: the fetch guard (../fetch-guard.ts) turns
 * that into a stalled partition rather than a failed fetch.
 *
 * Packages (see docs/kafka.md, "Codecs", for the measurements):
 * - snappy: `snappy` (napi-rs, Rust snap crate), prebuilt N-API binaries in the registry for
 *   linux x64 glibc and musl, no install script; works on every Node line (N-API is ABI-stable).
 * - lz4: `lz4-napi` (napi-rs, lz4_flex), the same packaging; Kafka's LZ4 is the LZ4 frame format,
 *   which lz4-napi reads and writes (compressFrame/decompressFrame).
 * - zstd: node:zlib where the runtime has it, else fzstd (./zstd-runtime.ts).
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
// kafkajs is CommonJS and Node's ESM loader cannot see these two among its named exports.
import kafkajs from 'kafkajs';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { xerialDecode, xerialEncode } from './snappy-xerial.js';
import { zstdCompress, zstdDecompress } from './zstd-runtime.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;
type CompressionTypes = kafkajs.CompressionTypes;

export type CodecName = 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** A payload that its batch's codec could not decompress (or a codec that is not there). */
export class CodecError extends Error {
  override name = 'CodecError';
  constructor(
    readonly codec: CodecName,
    readonly kind: 'unsupported' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

interface Transforms {
  compress?: (input: Buffer) => Promise<Buffer>;
  decompress: (input: Buffer) => Promise<Buffer>;
}

const gunzip = promisify(zlib.unzip);
const gzip = promisify(zlib.gzip);

const rawSnappyUncompress = async (input: Buffer): Promise<Buffer> => {
  const out = await snappyUncompress(input);
  return typeof out === 'string' ? Buffer.from(out) : out;
};

export const TRANSFORMS: Record<CodecName, Transforms> = {
  gzip: { compress: (b) => gzip(b), decompress: (b) => gunzip(b) },
  snappy: { compress: (b) => xerialEncode(b, (x) => snappyCompress(x)), decompress: (b) => xerialDecode(b, rawSnappyUncompress) },
  lz4: { compress: (b) => compressFrame(b), decompress: (b) => decompressFrame(b) },
  zstd: zstdCompress === undefined ? { decompress: zstdDecompress } : { compress: zstdCompress, decompress: zstdDecompress },
};

const TYPE: Record<CodecName, CompressionTypes> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export function compressionType(codec: CodecName | 'none'): CompressionTypes {
  return codec === 'none' ? CompressionTypes.None : TYPE[codec];
}

/** The kafkajs codec object: `compress` gets kafkajs' Encoder, `decompress` the payload. */
function kafkajsCodec(name: CodecName, t: Transforms) {
  return {
    async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
      if (t.compress === undefined) throw new CodecError(name, 'unsupported', `${name} compression is not available on Node ${process.versions.node}`);
      return t.compress(encoder.buffer);
    },
    async decompress(payload: Buffer): Promise<Buffer> {
      try {
        return await t.decompress(payload);
      } catch (err) {
        throw new CodecError(name, 'failed', `${name}: ${(err as Error).message}`);
      }
    },
  };
}

let registered = false;

/** Idempotent; called before any client is created. `without` leaves codecs out (tests only). */
export function registerCodecs(without: readonly CodecName[] = []): void {
  if (registered) return;
  registered = true;
  const codecs = CompressionCodecs as Record<number, () => unknown>;
  for (const name of Object.keys(TRANSFORMS) as CodecName[]) {
    const codec = without.includes(name)
      ? {
          compress: async () => {
            throw new CodecError(name, 'unsupported', `${name} is switched off in this worker`);
          },
          decompress: async () => {
            throw new CodecError(name, 'unsupported', `${name} is switched off in this worker`);
          },
        }
      : kafkajsCodec(name, TRANSFORMS[name]);
    codecs[TYPE[name]] = () => codec;
  }
}
