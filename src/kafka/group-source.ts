import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { abortableSleep, Backoff } from './backoff.js';
import { onUnreadableBatch } from './fetch-guard.js';
import type { UnreadableBatch } from './unreadable-batch.js';
import type { BatchControl, BatchHandler, GroupSource, InBatch, PartitionAssignment, SourceListener } from './types.js';

export interface GroupSourceOptions {
  groupId: string;
  /** Where a group with no committed offset starts: earliest (true) or latest. */
  fromBeginning: boolean;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Partitions whose batches are worked on at once (one fetch's batches). */
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  /** How long the broker holds an empty fetch: also bounds how long stop() waits for one. */
  maxWaitTimeMs?: number;
  restartInitialMs?: number;
  restartMaxMs?: number;
}

/**
 * A consumer group member on kafkajs, committing only what the handler says is done.
 *
 * - eachBatch with auto-resolve and auto-commit off: an offset moves only through
 *   BatchControl.commit, which the handler calls after its writes are acknowledged.
 * - kafkajs restarts the consumer itself after retriable failures; restartOnFailure adds an
 *   exponential backoff (broker down: no busy loop). After a failure kafkajs will not restart
 *   from, this class starts a fresh consumer, with the same backoff.
 * - a record batch that cannot be read (./fetch-guard.ts) pauses its own partition only, and is
 *   reported to the listener; the other partitions keep flowing and nothing is committed past it.
 *   The pause lasts until the consumer is replaced (a restart of the worker): a batch does not
 *   become readable by waiting.
 */
export class KafkajsGroupSource implements GroupSource {
  private consumer: Consumer | undefined;
  private topics: readonly string[] = [];
  private handler: BatchHandler | undefined;
  private stopping = new AbortController();
  private readonly backoff: Backoff;
  private restartTimer: NodeJS.Timeout | undefined;
  /** topic → partitions held since the last join. */
  private assigned = new Map<string, Set<number>>();
  private unsubscribeFaults: (() => void) | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: GroupSourceOptions,
    private readonly listener: SourceListener,
  ) {
    this.backoff = new Backoff(opts.restartInitialMs ?? 1000, opts.restartMaxMs ?? 30_000);
  }

  async start(topics: readonly string[], handler: BatchHandler): Promise<void> {
    if (this.consumer) throw new Error('the consumer is already running');
    this.stopping = new AbortController();
    this.topics = [...topics];
    this.handler = handler;
    this.unsubscribeFaults ??= onUnreadableBatch((b) => this.unreadable(b));
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.restartTimer);
    this.unsubscribeFaults?.();
    this.unsubscribeFaults = undefined;
    const consumer = this.consumer;
    this.consumer = undefined;
    // disconnect = stop fetching, wait for the batch in hand, leave the group, close sockets.
    await consumer?.disconnect();
  }

  private async launch(): Promise<void> {
    const handler = this.handler;
    if (handler === undefined) throw new Error('no batch handler');
    const stopping = this.stopping.signal;
    const consumer = this.createConsumer();
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.topics], fromBeginning: this.opts.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => handler(toInBatch(payload), control(payload)),
      });
    } catch (err) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    // stop() came while this consumer was starting: its disconnect may have raced run().
    if (stopping.aborted) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect();
    }
  }

  private createConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: this.opts.rebalanceTimeoutMs ?? 60_000,
      heartbeatInterval: this.opts.heartbeatIntervalMs ?? 3000,
      maxBytesPerPartition: this.opts.maxBytesPerPartition ?? 1024 * 1024,
      maxWaitTimeInMs: this.opts.maxWaitTimeMs ?? 1000,
      // Reading a topic must never create it.
      allowAutoTopicCreation: false,
      retry: {
        retries: 8,
        initialRetryTime: 300,
        maxRetryTime: 10_000,
        restartOnFailure: async () => {
          if (this.stopping.signal.aborted) return false;
          await abortableSleep(this.backoff.next(), this.stopping.signal);
          return !this.stopping.signal.aborted;
        },
      },
    });
    const { GROUP_JOIN, REBALANCING, CRASH, CONNECT, FETCH, HEARTBEAT, COMMIT_OFFSETS, START_BATCH_PROCESS } = consumer.events;
    // Signs of life for readiness: an idle member still gets an empty fetch answer every
    // maxWaitTime, a busy one heartbeats while it works; none of them comes while the broker is away.
    const progress = () => this.listener.progress?.();
    for (const event of [FETCH, HEARTBEAT, COMMIT_OFFSETS, START_BATCH_PROCESS]) consumer.on(event, progress);
    consumer.on(GROUP_JOIN, (e) => {
      this.backoff.reset();
      this.assigned = new Map(Object.entries(e.payload.memberAssignment).map(([topic, partitions]) => [topic, new Set(partitions)]));
      const assignment: PartitionAssignment[] = Object.entries(e.payload.memberAssignment).map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions].sort((a, b) => a - b),
      }));
      this.listener.joined({ memberId: e.payload.memberId, isLeader: e.payload.isLeader, assignment });
    });
    consumer.on(REBALANCING, () => this.listener.rebalancing());
    consumer.on(CONNECT, () => this.listener.connected());
    consumer.on(CRASH, (e) => {
      const { error, restart } = e.payload;
      const stopping = this.stopping.signal.aborted;
      this.listener.crashed(error, restart || !stopping);
      if (!restart && !stopping && this.consumer === consumer) this.scheduleFreshStart();
    });
    return consumer;
  }

  /**
   * Called from inside kafkajs' response decoding, before it builds the fetch's batches: pausing
   * here keeps the faulted partition out of this fetch already. Faults of partitions that are
   * not ours (another consumer of this process) are left to their owner.
   */
  private unreadable(batch: UnreadableBatch): void {
    const consumer = this.consumer;
    if (consumer === undefined || this.assigned.get(batch.topic)?.has(batch.partition) !== true) return;
    consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
    this.listener.partitionStalled(batch);
  }

  /** After a crash kafkajs gave up on: a new consumer, after a backoff, until one starts. */
  private scheduleFreshStart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.freshStart(), this.backoff.next());
  }

  private async freshStart(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const dead = this.consumer;
    this.consumer = undefined;
    await dead?.disconnect().catch(() => undefined);
    if (this.stopping.signal.aborted) return;
    try {
      await this.launch();
    } catch (err) {
      if (this.stopping.signal.aborted) return;
      this.listener.crashed(err instanceof Error ? err : new Error(String(err)), true);
      this.scheduleFreshStart();
    }
  }
}

function toInBatch(payload: EachBatchPayload): InBatch {
  const { batch } = payload;
  return { topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark, records: batch.messages };
}

function control(payload: EachBatchPayload): BatchControl {
  const { topic, partition } = payload.batch;
  return {
    heartbeat: () => payload.heartbeat(),
    isRunning: () => payload.isRunning(),
    isStale: () => payload.isStale(),
    commit: async (lastOffset: string) => {
      // kafkajs' resolveOffset also steps over trailing control records of transactions.
      payload.resolveOffset(lastOffset);
      const resolved = payload
        .uncommittedOffsets()
        .topics.find((t) => t.topic === topic)
        ?.partitions.find((p) => Number(p.partition) === partition);
      if (resolved === undefined) return;
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: resolved.offset }] }] });
    },
  };
}
