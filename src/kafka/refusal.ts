/**
 * Produce errors that are about one record rather than the broker: the broker answered, and will
 * refuse the same bytes forever. Such a record is dead-lettered; retrying it would stall its
 * partition, and restarting the consumer would fetch it again.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'MESSAGE_TOO_LARGE', // 10: over the topic's max.message.bytes
  'RECORD_LIST_TOO_LARGE', // 18: over the segment size
  'INVALID_RECORD', // 87: failed the broker's validation (e.g. a compacted topic and no key)
]);

/** kafkajs wraps the broker's error (KafkaJSNonRetriableError → cause → KafkaJSProtocolError). */
export function refusalType(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && REFUSALS.has(type)) return type;
    const next = e as { cause?: unknown; originalError?: unknown };
    e = next.cause ?? next.originalError;
  }
  return undefined;
}
