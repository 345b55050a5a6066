import type { DecodedRecord } from '../decode/types.js';
import type { MatcherBank } from '../match/types.js';
import type { DeadLetterReason } from '../pipeline/observer.js';
import type { TaggedEvent } from '../tag/types.js';

/** Where a Kafka record came from, as written into its tagged event. */
export interface KafkaOrigin {
  kind: 'kafka';
  topic: string;
  partition: number;
  offset: string;
  timestamp?: string;
}

/**
 * What the matching core made of one record. `event` is set for every matched record, and for
 * unmatched ones when every record is emitted.
 */
export type RecordOutcome =
  | { kind: 'matched'; event: TaggedEvent; decoded: DecodedRecord }
  | { kind: 'unmatched'; event?: TaggedEvent; decoded: DecodedRecord }
  | { kind: 'dead'; reason: DeadLetterReason; decoded?: DecodedRecord; error?: string };

/** Runs decode → match → tag on one record value. Must not throw for bad data. */
export type RecordProcessor = (value: Buffer | null, origin: KafkaOrigin, fallbackService: string | undefined) => RecordOutcome;

/**
 * Makes the processor for one batch from the bank current at the batch's start, so that a bank
 * swapped mid-batch only takes effect at the next batch.
 */
export type ProcessorFactory = (bank: MatcherBank) => RecordProcessor;
