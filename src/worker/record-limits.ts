import type { Headers, InRecord } from '../kafka/types.js';
import type { DeadLetterReason } from '../pipeline/observer.js';

/** What a record may carry besides its value (FAULTLINE_MAX_KEY_BYTES, _MAX_HEADERS, _MAX_HEADER_BYTES). */
export interface RecordLimits {
  maxKeyBytes: number;
  maxHeaders: number;
  maxHeaderBytes: number;
}

export interface LimitBreach {
  reason: Extract<DeadLetterReason, 'key-too-large' | 'too-many-headers' | 'headers-too-large'>;
  error: string;
}

/**
 * The first limit a record is over, if any. Runs before anything else looks at the record (the
 * service header, the content type, the processor), so that a record over a limit costs one
 * pass over its headers and nothing more; the count stops at the first header past the limit.
 */
export function checkRecordLimits(record: InRecord, limits: RecordLimits): LimitBreach | undefined {
  const keyBytes = record.key?.length ?? 0;
  if (keyBytes > limits.maxKeyBytes) return { reason: 'key-too-large', error: `key of ${keyBytes} bytes is over ${limits.maxKeyBytes}` };
  return record.headers === undefined ? undefined : checkHeaders(record.headers, limits);
}

function checkHeaders(headers: Headers, limits: RecordLimits): LimitBreach | undefined {
  let count = 0;
  let bytes = 0;
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    count += values.length;
    if (count > limits.maxHeaders) return { reason: 'too-many-headers', error: `more than ${limits.maxHeaders} headers` };
    bytes += values.length * Buffer.byteLength(name);
    for (const item of values) bytes += typeof item === 'string' ? Buffer.byteLength(item) : (item?.length ?? 0);
    if (bytes > limits.maxHeaderBytes) return { reason: 'headers-too-large', error: `headers over ${limits.maxHeaderBytes} bytes` };
  }
  return undefined;
}
