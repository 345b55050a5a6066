import type { DecodedRecord } from '../decode/types.js';
import type { Headers } from '../kafka/types.js';
import type { MatcherBank, RuleMatch } from '../match/types.js';
import type { DeadLetterReason } from '../pipeline/observer.js';
import { kafkaSource } from '../tag/tag-event.js';
import type { EventSource, TaggedEvent } from '../tag/types.js';

/**
 * Where a record sits in Kafka. One object per batch, updated for each record: a processor reads
 * it during its call and keeps nothing of it (eventSource copies what a tagged event needs).
 */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
  /** Epoch milliseconds as Kafka gives them; -1 for none. */
  timestamp: string;
  /** The record's index in its message, for messages that hold many (OTLP export requests). */
  index?: number;
}

/** The `source` of a tagged event. Only built for records that are written: it costs a Date. */
export function eventSource(pos: RecordPosition): EventSource {
  return kafkaSource(pos.topic, pos.partition, pos.offset, isoTimestamp(pos.timestamp), pos.index);
}

/** Kafka timestamps are epoch milliseconds; -1 means none. */
export function isoTimestamp(ms: string): string | undefined {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0 || n > 8.64e15) return undefined;
  // Records of a batch come milliseconds apart: the date and time of the last second seen are
  // reused, only the milliseconds written (the same string as toISOString, property-tested).
  const second = Math.floor(n / 1000);
  const millis = Math.floor(n) - second * 1000;
  if (second !== lastSecond || n !== Math.floor(n)) {
    const iso = new Date(n).toISOString();
    if (n !== Math.floor(n) || iso.length !== 24) return iso;
    lastSecond = second;
    lastPrefix = iso.slice(0, 20);
  }
  return `${lastPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

let lastSecond = -1;
let lastPrefix = '';

/**
 * What the matching core made of one record. `event` is set for every matched record, and for
 * unmatched ones when every record is emitted. `eventOf: 'decoded'` vouches that `event` is
 * `{ ...decoded.event, faultline }` as tagEvent builds it, so that it may be serialised from its
 * parts (src/tag/event-json.ts).
 */
export type RecordOutcome =
  | { kind: 'matched'; event: TaggedEvent; decoded: DecodedRecord; eventOf?: 'decoded' }
  | { kind: 'unmatched'; event?: TaggedEvent; decoded: DecodedRecord; eventOf?: 'decoded' }
  | { kind: 'dead'; reason: DeadLetterReason; decoded?: DecodedRecord; error?: string };

/** One record of a message that holds many: it is matched and tagged, never dead-lettered alone. */
export type BatchRecordOutcome = Exclude<RecordOutcome, { kind: 'dead' }>;

/**
 * What the matching core made of one Kafka message: one outcome when the message is one record
 * (a log line, a JSON event), or one per record it holds (an OTLP logs export request), in order.
 * A message that cannot be read at all is one `dead` outcome: the DLQ keeps messages, not records.
 */
export type MessageOutcome = RecordOutcome | { kind: 'batch'; records: BatchRecordOutcome[] };

/** Runs decode → match → tag on one message value. Must not throw for bad data. */
export type RecordProcessor = (
  value: Buffer | null,
  position: RecordPosition,
  fallbackService: string | undefined,
  headers?: Headers,
) => MessageOutcome;

/** A message decoded, its texts not matched yet; or already settled (dead-lettered). */
export type DecodedMessage = { kind: 'done'; outcome: MessageOutcome } | { kind: 'records'; records: DecodedRecord[]; batch: boolean };

/**
 * A RecordProcessor in two steps, so that the texts of a whole batch can be matched elsewhere
 * (src/pool's threads) between decoding and tagging.
 */
export interface SplitProcessor {
  decode(value: Buffer | null, position: RecordPosition, fallbackService: string | undefined, headers?: Headers): DecodedMessage;
  /**
   * `matches[from + k]` (from: 0 when left out): the matches of `message.records[k].text` (empty
   * for an empty text); a batch's matches are read in place rather than sliced per message.
   * Must not throw for bad data.
   */
  finish(message: Extract<DecodedMessage, { kind: 'records' }>, matches: readonly (readonly RuleMatch[])[], position: RecordPosition, from?: number): MessageOutcome;
}

/**
 * Makes the processor for one batch from the bank current at the batch's start, so that a bank
 * swapped mid-batch only takes effect at the next batch. `split`, when there, gives the same
 * processing in two steps (see SplitProcessor).
 */
export type ProcessorFactory = ((bank: MatcherBank) => RecordProcessor) & { split?: (bank: MatcherBank) => SplitProcessor };
