import type { Signal } from '../kb/types.js';
import type { UnreadableBatch } from '../kafka/unreadable-batch.js';

/**
 * What the processing pipeline tells the outside world. The worker (and scan) call it; the
 * metrics module implements it. Reports are per batch, not per record, so that a metrics
 * back end costs a few label look-ups per batch instead of per record.
 */

/** One matched record's contribution: which rules fired, which signals, for which service. */
export interface MatchedRecord {
  ruleIds: string[];
  signals: Signal[];
  /** As decoded from the record; the observer bounds its cardinality. */
  service?: string;
}

export type DeadLetterReason =
  | 'too-large'
  | 'binary'
  | 'invalid-utf8'
  /** Read as OTLP (by FAULTLINE_INPUT_ENCODING or its content type) but not a valid logs export request. */
  | 'invalid-otlp'
  | 'processing-error'
  /** The worker died with this record in hand several times in a row (src/worker/poison-guard.ts). */
  | 'crashed-worker'
  /** Over FAULTLINE_MAX_KEY_BYTES, FAULTLINE_MAX_HEADERS or FAULTLINE_MAX_HEADER_BYTES: not even read. */
  | 'key-too-large'
  | 'too-many-headers'
  | 'headers-too-large'
  /** The tagged event (with the record's key) would be over the output topic's max.message.bytes. */
  | 'output-too-large'
  /** The broker refused the tagged event for what it is (MESSAGE_TOO_LARGE, INVALID_RECORD, …). */
  | 'output-refused';

export interface BatchReport {
  topic: string;
  partition: number;
  records: number;
  bytes: number;
  matched: MatchedRecord[];
  unmatched: number;
  deadLettered: Partial<Record<DeadLetterReason, number>>;
  /** Records that decoded with an issue (invalid JSON, invalid UTF-8, …) but were still matched. */
  decodeIssues: Partial<Record<string, number>>;
  /** Wall time from receiving the batch to its offsets being committed. */
  latencySeconds: number;
  /** Offset of the last record in the batch, and the partition's high watermark at fetch. */
  lastOffset: string;
  highWatermark: string;
}

export interface RulesReport {
  ok: boolean;
  rules: number;
  problems: number;
  buildSeconds: number;
  /** A short content hash of the rule files: the rules-version label. */
  version: string;
  /** The rules loaded (for per-rule zero series and info series); unchanged on a failed reload. */
  ruleInfo: ReadonlyArray<{
    id: string;
    domain: string;
    category: string;
    signals: Signal[];
    confidence?: number;
    verificationTier?: string;
    rootCause?: string;
    bestWorkaround?: { action: string };
  }>;
}

export interface PipelineObserver {
  batch(report: BatchReport): void;
  rulesLoaded(report: RulesReport): void;
  rebalance(event: 'assigned' | 'revoked', partitions: number): void;
  groupJoined(): void;
  commitFailed(error: Error): void;
  /** The broker became reachable / unreachable (for readiness). */
  brokerConnection(up: boolean): void;
  /**
   * The consumer crashed and is restarting: no longer a member of its group until it joins again
   * (optional: observers that do not track membership may leave it out).
   */
  consumerStopped?(reason: string): void;
  /** A fetch answered (even empty), a heartbeat or a commit went through: the consumer consumes. */
  consumerProgress?(): void;
  /** Every partition currently paused on a batch it cannot read (all of them, on each change). */
  partitionStalls(stalls: readonly UnreadableBatch[]): void;
}

/** For callers that do not export metrics (scan, tests). */
export const NOOP_OBSERVER: PipelineObserver = {
  batch() {},
  rulesLoaded() {},
  rebalance() {},
  groupJoined() {},
  commitFailed() {},
  brokerConnection() {},
  partitionStalls() {},
};
