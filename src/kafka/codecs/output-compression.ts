/**
 * The codec of what the worker writes. zstd by default: on tagged events it gives the smallest
 * batches at about lz4's compression speed (bench/codecs.ts, `npm run bench:codecs`). Node 20 has
 * no zstd compressor (zlib gained it in 22.15), so there the default is lz4, and an explicit
 * zstd is refused at start-up.
 */
import { KafkaSetupError } from '../client.js';
import { RUNTIME_ZSTD } from './zstd-runtime.js';

export type OutputCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export function resolveOutputCompression(setting: OutputCompression | undefined): OutputCompression {
  if (setting === undefined) return RUNTIME_ZSTD ? 'zstd' : 'lz4';
  if (setting === 'zstd' && !RUNTIME_ZSTD) {
    throw new KafkaSetupError(
      `FAULTLINE_OUTPUT_COMPRESSION=zstd needs Node >= 22.15 (zlib zstd); this is Node ${process.versions.node}: use lz4, or a newer Node`,
    );
  }
  return setting;
}
