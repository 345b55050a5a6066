/**
 * Fixes to kafkajs 2.2.4 internals that let one record make the worker spend more than linear
 * time, installed into its CommonJS module cache before the modules that use them load.
 *
 * Record headers: protocol/recordBatch/record/v0/decoder.js folds the decoded headers with
 * `reduce((obj, h) => ({ ...obj, [h.key]: … }), {})` and `concat` for repeated keys, copying the
 * object (or array) built so far at every header: quadratic in the header count. A 1 MB record
 * holds ~300,000 empty headers. The replacement below builds the same object in one pass (same
 * keys, same order, a repeated key still becomes an array in arrival order).
 *
 * The partitioner's hash, the other quadratic step, is replaced by configuration instead
 * (./partitioner.ts).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KafkajsDecoder {
  readInt8(): number;
  readVarLong(): { toString(): string };
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
}
interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  magicByte: number;
  isControlBatch?: boolean;
  timestampType: number;
  maxTimestamp: string;
}
interface LongStatic {
  fromValue(v: unknown): { add(v: unknown): { toString(): string } };
}

const RECORD_DECODER = 'kafkajs/src/protocol/recordBatch/record/v0/decoder.js';
/** The only module that requires the record decoder; it keeps its own reference once loaded. */
const RECORD_BATCH_DECODER = 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
const LOG_APPEND_TIME = 1;

let installed = false;

/** Idempotent. Throws if kafkajs already loaded the record batch decoder (too late to patch). */
export function installKafkajsPatches(): void {
  if (installed) return;
  const batchPath = require.resolve(RECORD_BATCH_DECODER);
  if (require.cache[batchPath] !== undefined) throw new Error(`kafkajs patches installed too late: ${batchPath} is already loaded`);
  const recordPath = require.resolve(RECORD_DECODER);
  require(recordPath);
  const cached = require.cache[recordPath];
  if (cached === undefined) throw new Error(`kafkajs patches: ${recordPath} did not load`);
  cached.exports = decodeRecord;
  installed = true;
}

/** Whether the installed record decoder is ours (for tests). */
export function kafkajsPatched(): boolean {
  return require(RECORD_DECODER) === decodeRecord;
}

const Long = require('kafkajs/src/utils/long.js') as LongStatic;

/** kafkajs' record v0 decoder, field for field, with the headers folded in linear time. */
export function decodeRecord(decoder: KafkajsDecoder, batchContext: Partial<BatchContext> = {}) {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
  const attributes = decoder.readInt8();
  const timestampDelta = decoder.readVarLong();
  const timestamp =
    timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : Long.fromValue(firstTimestamp).add(timestampDelta).toString();
  const offsetDelta = decoder.readVarInt();
  const offset = Long.fromValue(firstOffset).add(offsetDelta).toString();
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = readHeaders(decoder);
  return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord: isControlBatch, batchContext };
}

type HeaderValue = Buffer | null;

function readHeaders(decoder: KafkajsDecoder): Record<string, HeaderValue | HeaderValue[]> {
  const headers: Record<string, HeaderValue | HeaderValue[]> = {};
  const count = decoder.readVarInt();
  // Arrays this fold created, so that only those are pushed to (a value is never an array itself).
  const repeated = new Set<string>();
  for (let i = 0; i < count; i++) {
    const key = String(decoder.readVarIntString());
    const value = decoder.readVarIntBytes();
    if (!Object.prototype.hasOwnProperty.call(headers, key)) {
      // defineProperty: a header named `__proto__` is a key like any other, as in kafkajs' spread.
      Object.defineProperty(headers, key, { value, writable: true, enumerable: true, configurable: true });
    } else if (repeated.has(key)) {
      (headers[key] as HeaderValue[]).push(value);
    } else {
      headers[key] = [headers[key] as HeaderValue, value];
      repeated.add(key);
    }
  }
  return headers;
}
