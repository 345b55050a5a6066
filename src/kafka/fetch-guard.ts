/**
 * Keeps one unreadable record batch from failing a whole fetch.
 *
 * kafkajs decodes a Fetch response in one go, every partition of every topic the broker leads
 * (protocol/requests/fetch/vN/response.js → v4/decodeMessages.js → recordBatch/v0/decoder.js,
 * which calls the codec). Any throw in there — an unknown codec ("LZ4 compression not
 * implemented"), a payload that does not decompress, a batch that does not parse — rejects the
 * whole response: consumerGroup.fetch passes it to the runner, the consumer crashes and restarts,
 * and no partition served by that broker moves again. It looks like a broker outage.
 *
 * Two hooks into kafkajs' CommonJS modules, installed before the first fetch:
 * 1. decodeMessages (one partition's record set) is replaced by `guardedDecodeMessages`: it
 *    decodes batch by batch as kafkajs does, and when the first batch of the set cannot be read it
 *    returns no records, with a fault (reason, base offset, message) attached to the empty array.
 *    When readable batches came first it returns those: the next fetch starts at the bad batch.
 * 2. each Fetch response version's `decode` is wrapped: after decoding, a fault found on a
 *    partition's records is reported with its topic and partition to the listeners (the group
 *    source pauses that partition; kafkajs then skips it when it builds batches).
 *
 * Everything else in the response is decoded and delivered as usual.
 */
import { createRequire } from 'node:module';
import { CodecError } from './codecs/registry.js';
import { installKafkajsPatches } from './kafkajs-patches.js';
import type { BatchFault, StallReason, UnreadableBatch, UnreadableBatchListener } from './unreadable-batch.js';

const require = createRequire(import.meta.url);

interface KafkajsDecoder {
  offset: number;
  buffer: Buffer;
  readInt32(): number;
  readBytes(n: number): Buffer;
  canReadBytes(n: number): boolean;
}
type DecoderClass = new (buffer: Buffer) => KafkajsDecoder;
interface DecodedRecord {
  offset: string;
}
type RecordBatchDecoder = (decoder: KafkajsDecoder) => Promise<{ records: DecodedRecord[] }>;
type MessageSetDecoder = (decoder: KafkajsDecoder, size: number) => Promise<DecodedRecord[]>;

interface FetchResponse {
  responses?: Array<{ topicName: string; partitions: Array<{ partition: number; messages: DecodedRecord[] }> }>;
}
interface ResponseModule {
  decode: (raw: Buffer) => Promise<FetchResponse>;
}

const FETCH_DIR = 'kafkajs/src/protocol/requests/fetch';
/** Fetch versions whose responses use v4/decodeMessages (kafkajs 2.2 speaks up to 11). */
const GUARDED_VERSIONS = [4, 5, 6, 7, 8, 9, 10, 11];

/** Where the magic byte sits in both the legacy message set and the v2 record batch. */
const MAGIC_OFFSET = 16;
/** A v2 batch header up to and including the record count. */
const RECORD_BATCH_OVERHEAD = 49;
/** baseOffset(8) length(4) partitionLeaderEpoch(4) magic(1) crc(4): then attributes (int16). */
const ATTRIBUTES_OFFSET = 21;
const CODEC_MASK = 0x07;
/** none, gzip, snappy, lz4, zstd: the codec ids Kafka defines. */
const KNOWN_CODECS = 4;

const FAULT = Symbol('faultline.batchFault');
type Faulted = DecodedRecord[] & { [FAULT]?: BatchFault };

const listeners = new Set<UnreadableBatchListener>();
let installed = false;
let Decoder: DecoderClass;
let decodeRecordBatch: RecordBatchDecoder;
let decodeMessageSet: MessageSetDecoder;

/** Reports every unreadable batch met by any consumer of this process; returns the unsubscribe. */
export function onUnreadableBatch(listener: UnreadableBatchListener): () => void {
  installFetchGuard();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Idempotent. Throws if kafkajs already loaded a Fetch response module (too late to hook). */
export function installFetchGuard(): void {
  if (installed) return;
  // Before the record batch decoder below loads: it captures the record decoder it requires.
  installKafkajsPatches();
  const resolve = (path: string) => require.resolve(`${FETCH_DIR}/${path}`);
  const early = GUARDED_VERSIONS.map((v) => resolve(`v${v}/response.js`)).filter((p) => require.cache[p] !== undefined);
  if (early.length > 0) throw new Error(`fetch guard installed too late: kafkajs already loaded ${early.join(', ')}`);

  Decoder = require('kafkajs/src/protocol/decoder.js') as DecoderClass;
  decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as RecordBatchDecoder;
  decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js') as MessageSetDecoder;
  const decodeMessagesPath = resolve('v4/decodeMessages.js');
  require(decodeMessagesPath);
  const cached = require.cache[decodeMessagesPath];
  if (cached === undefined) throw new Error(`fetch guard: ${decodeMessagesPath} did not load`);
  cached.exports = guardedDecodeMessages;

  for (const v of GUARDED_VERSIONS) {
    const mod = require(resolve(`v${v}/response.js`)) as ResponseModule;
    const decode = mod.decode;
    mod.decode = async (raw: Buffer) => {
      const decoded = await decode(raw);
      reportFaults(decoded);
      return decoded;
    };
  }
  installed = true;
}

function reportFaults(decoded: FetchResponse): void {
  for (const topic of decoded.responses ?? []) {
    for (const p of topic.partitions) {
      const fault = (p.messages as Faulted)[FAULT];
      if (fault === undefined) continue;
      const batch: UnreadableBatch = { topic: topic.topicName, partition: p.partition, ...fault };
      for (const listener of listeners) listener(batch);
    }
  }
}

/** The fault guardedDecodeMessages attached to a partition's (empty) records, if any. */
export function batchFaultOf(records: readonly unknown[]): BatchFault | undefined {
  return (records as Faulted)[FAULT];
}

function faulted(fault: BatchFault): Faulted {
  const none: Faulted = [];
  Object.defineProperty(none, FAULT, { value: fault, enumerable: false });
  return none;
}

/** One partition's record set, as kafkajs' own decodeMessages reads it, but never throwing. */
export async function guardedDecodeMessages(decoder: KafkajsDecoder): Promise<DecodedRecord[]> {
  const size = decoder.readInt32();
  if (size <= 0 || !decoder.canReadBytes(size)) return [];
  const set = decoder.readBytes(size);
  // Too short to hold one header: the broker cut the set at maxBytes, as it may after a first batch.
  if (set.length <= MAGIC_OFFSET) return [];
  const magic = set.readInt8(MAGIC_OFFSET);
  const baseOffset = set.readBigInt64BE(0).toString();
  const reader = new Decoder(set);

  if (magic === 0 || magic === 1) {
    try {
      return await decodeMessageSet(reader, size);
    } catch (err) {
      return faulted({ offset: baseOffset, reason: classify(err), error: message(err) });
    }
  }
  if (magic !== 2) {
    return faulted({ offset: baseOffset, reason: 'unknown_format', error: `record set with magic byte ${magic} (this client reads 0, 1 and 2)` });
  }

  const records: DecodedRecord[] = [];
  let batches = 0;
  while (reader.canReadBytes(RECORD_BATCH_OVERHEAD)) {
    const start = reader.offset;
    const offset = set.readBigInt64BE(start).toString();
    const codec = set.readInt16BE(start + ATTRIBUTES_OFFSET) & CODEC_MASK;
    if (codec > KNOWN_CODECS) {
      if (batches > 0) return records;
      return faulted({ offset, reason: 'unsupported_codec', error: `record batch with compression codec id ${codec} (Kafka defines 0-4)` });
    }
    try {
      const batch = await decodeRecordBatch(reader);
      for (const r of batch.records) records.push(r);
      batches++;
    } catch (err) {
      if ((err as Error).name === 'KafkaJSPartialMessageError') {
        // The broker cuts the tail of a set at maxBytes, but always sends the first batch whole
        // (KIP-74): a first batch that does not fit is a broken length, not a cut.
        if (batches > 0) return records;
        return faulted({ offset, reason: 'corrupt_batch', error: message(err) });
      }
      if (batches > 0) return records;
      return faulted({ offset, reason: classify(err), error: message(err) });
    }
  }
  return records;
}

function classify(err: unknown): StallReason {
  if (err instanceof CodecError) return err.kind === 'unsupported' ? 'unsupported_codec' : 'decompression_failed';
  if ((err as Error | undefined)?.name === 'KafkaJSNotImplemented') return 'unsupported_codec';
  return 'corrupt_batch';
}

function message(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
