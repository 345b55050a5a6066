import type { DeadLetterReason } from '../pipeline/observer.js';
import { headersBytes, RECORD_FIXED_BYTES, singleRecordBatchBytes } from '../kafka/record-size.js';
import type { Headers, InRecord, OutRecord } from '../kafka/types.js';

/**
 * A dead-lettered record keeps its key, value and headers byte for byte, so that it can be
 * replayed into its source topic once the cause is fixed; these headers say why and from where.
 */
export const DLQ_HEADERS = {
  reason: 'faultline.reason',
  topic: 'faultline.source.topic',
  partition: 'faultline.source.partition',
  offset: 'faultline.source.offset',
  timestamp: 'faultline.source.timestamp',
  error: 'faultline.error',
  /** Set when the value had to be cut to fit the dead-letter topic: the original size in bytes. */
  originalBytes: 'faultline.original-bytes',
  /** Set when the key had to be cut: its original size in bytes. */
  originalKeyBytes: 'faultline.original-key-bytes',
  /** Set when the original headers had to be left out: how many there were, and their bytes. */
  originalHeaders: 'faultline.original-headers',
  originalHeaderBytes: 'faultline.original-header-bytes',
} as const;

/** Room kept for our own headers' worst case when cutting (their values are short). */
const OWN_HEADERS_RESERVE = 1024;

/** An error text is for a person reading the DLQ, not a dump: keep the header small. */
const MAX_ERROR_CHARS = 500;

export interface DeadLetterInfo {
  reason: DeadLetterReason;
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  error?: string;
}

const OWN_HEADERS: ReadonlySet<string> = new Set(Object.values(DLQ_HEADERS));

/**
 * The original headers, then ours. A record dead-lettered twice (replayed and failing again)
 * carries only the latest reason: ours replace any earlier faultline.* headers.
 */
export function deadLetterHeaders(original: Headers | undefined, info: DeadLetterInfo): Headers {
  const headers: Headers = {};
  if (original) {
    for (const k in original) {
      const v = original[k];
      if (v !== undefined && !OWN_HEADERS.has(k)) headers[k] = v;
    }
  }
  headers[DLQ_HEADERS.reason] = info.reason;
  headers[DLQ_HEADERS.topic] = info.topic;
  headers[DLQ_HEADERS.partition] = String(info.partition);
  headers[DLQ_HEADERS.offset] = info.offset;
  headers[DLQ_HEADERS.timestamp] = info.timestamp;
  if (info.error !== undefined) headers[DLQ_HEADERS.error] = truncateChars(info.error, MAX_ERROR_CHARS);
  return headers;
}

/**
 * The dead-letter record for `record`, fitted into a record batch of `maxBatchBytes` (the
 * dead-letter topic's max.message.bytes): a record too large for the DLQ too is cut rather than
 * blocking the partition on a write the broker will always refuse. What is cut is said in
 * headers: the original headers are left out when they take more than a quarter of the room
 * (their count and size kept), then the key and value are cut, each marked with its size.
 */
export function deadLetterRecord(dlqTopic: string, record: InRecord, info: DeadLetterInfo, maxBatchBytes: number): OutRecord {
  const whole: OutRecord = { topic: dlqTopic, key: record.key, value: record.value, headers: deadLetterHeaders(record.headers, info) };
  if (singleRecordBatchBytes(whole) <= maxBatchBytes) return whole;

  const room = Math.max(0, maxBatchBytes - RECORD_FIXED_BYTES - OWN_HEADERS_RESERVE);
  const originalHeaderBytes = headersBytes(record.headers);
  const keepHeaders = originalHeaderBytes <= room / 4;
  const headers = deadLetterHeaders(keepHeaders ? record.headers : undefined, info);
  if (!keepHeaders) {
    headers[DLQ_HEADERS.originalHeaders] = String(countHeaders(record.headers));
    headers[DLQ_HEADERS.originalHeaderBytes] = String(originalHeaderBytes);
  }
  const keyBytes = record.key?.length ?? 0;
  const valueBytes = record.value?.length ?? 0;
  const budget = Math.max(0, room - (keepHeaders ? originalHeaderBytes : 0));
  // A short key is kept whole; a long one gets at most half, or what the value leaves.
  const keyKeep = Math.min(keyBytes, Math.max(Math.floor(budget / 2), budget - valueBytes));
  const valueKeep = Math.min(valueBytes, budget - keyKeep);
  if (keyKeep < keyBytes) headers[DLQ_HEADERS.originalKeyBytes] = String(keyBytes);
  if (valueKeep < valueBytes) headers[DLQ_HEADERS.originalBytes] = String(valueBytes);
  return {
    topic: dlqTopic,
    key: record.key === null ? null : record.key.subarray(0, keyKeep),
    value: record.value === null ? null : record.value.subarray(0, valueKeep),
    headers,
  };
}

function countHeaders(headers: Headers | undefined): number {
  let n = 0;
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) n += Array.isArray(v) ? v.length : 1;
  }
  return n;
}

function truncateChars(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
