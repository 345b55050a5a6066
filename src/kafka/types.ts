/**
 * The Kafka client as the rest of faultline sees it. Only src/kafka/ imports kafkajs; everything
 * else talks to these interfaces, so a change of client touches only that folder.
 */

import type { UnreadableBatch } from './unreadable-batch.js';

/** Kafka record headers; a key repeated in the record arrives as an array. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type Headers = Record<string, HeaderValue>;

/** One consumed record. Offsets and timestamps stay strings: they are 64-bit. */
export interface InRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Headers;
  offset: string;
  /** Milliseconds since the epoch, as the broker or producer set it. */
  timestamp: string;
}

/** The records of one partition from one fetch. */
export interface InBatch {
  topic: string;
  partition: number;
  /** The partition's high watermark at fetch time (for lag). */
  highWatermark: string;
  records: readonly InRecord[];
}

/** What a batch handler may do with the group while it works on a batch. */
export interface BatchControl {
  /** Keeps the group membership alive during long work; throws when the group rebalances. */
  heartbeat(): Promise<void>;
  /** False once stop() was called: finish quickly, commit what is done. */
  isRunning(): boolean;
  /** True when this partition's position moved under the handler (seek): drop the batch. */
  isStale(): boolean;
  /**
   * Records every offset up to and including `lastOffset` as done and commits `lastOffset + 1`
   * for this partition. Throws when the commit is refused (e.g. the group rebalanced).
   */
  commit(lastOffset: string): Promise<void>;
}

export type BatchHandler = (batch: InBatch, control: BatchControl) => Promise<void>;

export interface PartitionAssignment {
  topic: string;
  partitions: number[];
}

/** Lifecycle events of the consumer group, for logs and metrics. */
export interface SourceListener {
  joined(info: { memberId: string; generation?: number; isLeader: boolean; assignment: PartitionAssignment[] }): void;
  rebalancing(): void;
  /** The consumer stopped on an error; `restarting` says whether it will start again by itself. */
  crashed(error: Error, restarting: boolean): void;
  connected(): void;
  /** A fetch was answered (even empty), a heartbeat or a commit went through. Often: keep it cheap. */
  progress?(): void;
  /** A batch of this partition cannot be read: the partition is paused, the others go on. */
  partitionStalled(batch: UnreadableBatch): void;
}

/** A consumer group member reading a fixed list of topics. */
export interface GroupSource {
  /** Joins the group and starts calling `handler` per batch; resolves once the consumer runs. */
  start(topics: readonly string[], handler: BatchHandler): Promise<void>;
  /** Stops fetching, waits for the batch in hand, leaves the group and disconnects. */
  stop(): Promise<void>;
}

/** One record to produce. */
export interface OutRecord {
  topic: string;
  key: Buffer | string | null;
  /** null only when passing on a tombstone unchanged. */
  value: Buffer | string | null;
  headers?: Headers;
}

/** A record the broker refused for what it is (too large, invalid), never to be accepted. */
export interface Refusal {
  /** Index of the record in the `send` call. */
  index: number;
  /** The broker's error type (MESSAGE_TOO_LARGE, …) and message. */
  error: string;
}

/**
 * A producer whose `send` resolves only once every record is acknowledged by all in-sync replicas,
 * or refused by the broker for what it is: those are listed, and the caller decides (they are not
 * written). Any other failure rejects the send.
 */
export interface Sink {
  connect(): Promise<void>;
  send(records: readonly OutRecord[]): Promise<readonly Refusal[]>;
  disconnect(): Promise<void>;
}

/** The admin calls the worker needs. */
export interface ClusterAdmin {
  listTopics(): Promise<string[]>;
  /** max.message.bytes of each topic that exists and can be described; others are left out. */
  maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>>;
  disconnect(): Promise<void>;
}
