// The broker's own log segments, read and (for fault tests) damaged in place: only for a broker
// run by scripts/kafka on this machine, whose data directory we can reach.
import { readdirSync, readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { runKafkaScript } from '../../support/kafka-script.js';
import { kafkaBroker } from '../../support/kafka.js';

export interface SegmentBatch {
  /** Byte position of the batch in the segment file. */
  position: number;
  baseOffset: bigint;
  /** Bytes of the whole batch, its 12-byte offset and length prefix included. */
  bytes: number;
  /** Compression codec id: attributes & 7 (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  codec: number;
  records: number;
}

/** Whether this run's broker keeps its data in a directory of this machine. */
export const localSegments = (): boolean => kafkaBroker().restartable && kafkaBroker().scriptEnv !== null;

async function dataDir(): Promise<string> {
  const env = kafkaBroker().scriptEnv;
  if (env === null) throw new Error('the broker is not run by scripts/kafka: its segments are out of reach');
  const { stdout } = await runKafkaScript(['env'], { ...env });
  const runDir = /^KAFKA_RUN_DIR=(.*)$/m.exec(stdout)?.[1];
  if (runDir === undefined) throw new Error(`kafka.sh env printed no KAFKA_RUN_DIR: ${stdout}`);
  return join(runDir, 'data');
}

/** The first (oldest) segment file of a partition. */
export async function firstSegment(topic: string, partition: number): Promise<string> {
  const dir = join(await dataDir(), `${topic}-${partition}`);
  const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  if (logs.length === 0) throw new Error(`no segment in ${dir}`);
  return join(dir, logs[0] as string);
}

/** The record batches of a segment file, by their v2 headers. */
export function segmentBatches(file: string): SegmentBatch[] {
  const data = readFileSync(file);
  const out: SegmentBatch[] = [];
  let at = 0;
  while (at + 61 <= data.length) {
    const length = data.readInt32BE(at + 8);
    if (length <= 0) break;
    out.push({
      position: at,
      baseOffset: data.readBigInt64BE(at),
      bytes: 12 + length,
      codec: data.readInt16BE(at + 21) & 7,
      records: data.readInt32BE(at + 57),
    });
    at += 12 + length;
  }
  return out;
}

/** Overwrites bytes of a segment file in place (the broker serves the page cache: no restart). */
export function patchSegment(file: string, position: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}
