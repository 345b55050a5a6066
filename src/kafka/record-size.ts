import type { Headers, OutRecord } from './types.js';

/**
 * Sizes of records as a v2 record batch holds them, rounded up: what the broker compares with a
 * topic's max.message.bytes is the whole batch, uncompressed size at worst.
 */

/** baseOffset, length, leader epoch, magic, CRC, attributes, offsets, timestamps, producer, count. */
export const BATCH_OVERHEAD = 61;
/** length, attributes, timestamp delta, offset delta, key and value lengths, header count: varints at their widest. */
const RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
/** A header's name and value lengths. */
const HEADER_OVERHEAD = 10;

export function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

/** Bytes of the headers as written, names and values. */
export function headersBytes(headers: Headers | undefined): number {
  if (headers === undefined) return 0;
  let n = 0;
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) n += HEADER_OVERHEAD + Buffer.byteLength(k) + byteLength(item);
    else n += HEADER_OVERHEAD + Buffer.byteLength(k) + byteLength(v);
  }
  return n;
}

/** One record inside a batch, at most. */
export function recordBytes(r: Pick<OutRecord, 'key' | 'value' | 'headers'>): number {
  return RECORD_OVERHEAD + byteLength(r.key) + byteLength(r.value) + headersBytes(r.headers);
}

/** A batch holding only `r`: what a single write of it must fit in. */
export function singleRecordBatchBytes(r: Pick<OutRecord, 'key' | 'value' | 'headers'>): number {
  return BATCH_OVERHEAD + recordBytes(r);
}

export const RECORD_FIXED_BYTES = BATCH_OVERHEAD + RECORD_OVERHEAD;

/** At least byteLength(v), without counting: a UTF-16 unit is at most 3 UTF-8 bytes. */
function byteBound(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? v.length * 3 : v.length;
}

/**
 * singleRecordBatchBytes(r) when that is over `limit`, else undefined. Every tagged event is
 * checked on the hot path, and nearly all are far below their limit: the bound says so without
 * an exact UTF-8 count of the value, which is made only for records near the limit.
 */
export function singleRecordBatchBytesOver(r: Pick<OutRecord, 'key' | 'value' | 'headers'>, limit: number): number | undefined {
  if (RECORD_FIXED_BYTES + byteBound(r.key) + byteBound(r.value) + headersBytes(r.headers) <= limit) return undefined;
  const bytes = singleRecordBatchBytes(r);
  return bytes > limit ? bytes : undefined;
}

/** At least recordBytes(r), without counting UTF-8: for deciding what surely fits. */
export function recordBytesBound(r: Pick<OutRecord, 'key' | 'value' | 'headers'>): number {
  return RECORD_OVERHEAD + byteBound(r.key) + byteBound(r.value) + headersBytes(r.headers);
}
