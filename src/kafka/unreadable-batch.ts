/**
 * A record batch the client cannot read: why, in a few bounded words (the `reason` label of
 * faultline_partition_stalled), and where.
 */

export const STALL_REASONS = ['unsupported_codec', 'decompression_failed', 'corrupt_batch', 'unknown_format'] as const;
export type StallReason = (typeof STALL_REASONS)[number];

export interface UnreadableBatch {
  topic: string;
  partition: number;
  /** The base offset of the batch that could not be read (a string: offsets are 64-bit). */
  offset: string;
  reason: StallReason;
  /** The decoder's or codec's own message. */
  error: string;
}

/** What the fetch path hands on before it is tied to a topic and partition. */
export type BatchFault = Omit<UnreadableBatch, 'topic' | 'partition'>;

export type UnreadableBatchListener = (batch: UnreadableBatch) => void;
