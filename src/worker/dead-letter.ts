import type { DeadLetterReason } from '../pipeline/observer.js';
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
} as const;

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
export function deadLetterHeaders(original: Headers | undefined, info: DeadLetterInfo, originalBytes?: number): Headers {
  const headers: Headers = {};
  if (original) {
    for (const [k, v] of Object.entries(original)) {
      if (v !== undefined && !OWN_HEADERS.has(k)) headers[k] = v;
    }
  }
  headers[DLQ_HEADERS.reason] = info.reason;
  headers[DLQ_HEADERS.topic] = info.topic;
  headers[DLQ_HEADERS.partition] = String(info.partition);
  headers[DLQ_HEADERS.offset] = info.offset;
  headers[DLQ_HEADERS.timestamp] = info.timestamp;
  if (info.error !== undefined) headers[DLQ_HEADERS.error] = truncateChars(info.error, MAX_ERROR_CHARS);
  if (originalBytes !== undefined) headers[DLQ_HEADERS.originalBytes] = String(originalBytes);
  return headers;
}

/**
 * The dead-letter record for `record`. A value above `maxValueBytes` (a record too large for the
 * dead-letter topic too) is cut to that size and marked, rather than blocking the partition on a
 * write the broker will always refuse.
 */
export function deadLetterRecord(dlqTopic: string, record: InRecord, info: DeadLetterInfo, maxValueBytes: number): OutRecord {
  const value = record.value;
  const cut = value !== null && value.length > maxValueBytes;
  return {
    topic: dlqTopic,
    key: record.key,
    value: cut ? value.subarray(0, maxValueBytes) : value,
    headers: deadLetterHeaders(record.headers, info, cut ? value.length : undefined),
  };
}

function truncateChars(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
