import type { Logger } from '../log.js';
import { abortableSleep, Backoff } from '../kafka/backoff.js';
import { describeTopicSpec, resolveTopics, sameTopics, type TopicSpec } from '../kafka/topic-spec.js';
import type { BatchHandler, ClusterAdmin, GroupSource, PartitionAssignment, SourceListener, Sink } from '../kafka/types.js';
import type { TopicLimits } from '../kafka/topic-limits.js';
import type { UnreadableBatch } from '../kafka/unreadable-batch.js';
import type { PipelineObserver } from '../pipeline/observer.js';
import type { BankHolder } from '../ruleset/bank-holder.js';
import { createBatchHandler } from './batch-handler.js';
import type { PlanSettings } from './batch-plan.js';
import { ConnectionState } from './connection-state.js';
import { crashLine } from './crash-kind.js';
import type { DeadLetterInfo } from './dead-letter.js';
import type { PoisonGuard } from './poison-guard.js';
import { RateLimitedLog } from './rate-limited-log.js';
import type { ProcessorFactory } from './record-outcome.js';

/** The Kafka side of a worker, behind src/kafka/'s interfaces. */
export interface WorkerParts {
  /** The consumer group member, reporting its events to `listener`. */
  createSource(listener: SourceListener): GroupSource;
  sink: Sink;
  admin: ClusterAdmin;
}

export interface WorkerSettings extends PlanSettings {
  topics: TopicSpec;
  groupId: string;
  /** How often the topic list is checked for new topics matching a pattern (or named but missing). */
  topicRefreshMs: number;
  heartbeatIntervalMs?: number;
  /** Window of the rate-limited warnings for bad records. */
  warnWindowMs?: number;
  /** The output and DLQ topics' limits, refreshed from the broker with the topic list. */
  topicLimits?: TopicLimits;
}

export interface WorkerDeps {
  logger: Logger;
  observer: PipelineObserver;
  banks: BankHolder;
  processorFor: ProcessorFactory;
  /** The poison-pill guard (absent: off). */
  guard?: PoisonGuard;
}

/**
 * The worker's life: connect, find the input topics, consume until stopped; re-subscribe when a
 * new topic matches a pattern; keep trying with backoff while Kafka is away.
 */
export class Worker {
  private readonly stopping = new AbortController();
  private readonly connection: ConnectionState;
  private readonly deadLetterWarnings: RateLimitedLog<DeadLetterInfo>;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly source: GroupSource;
  private subscribed: string[] | undefined;
  /** Partitions held since the last join: what a rebalance takes away. */
  private assignedPartitions = 0;
  /** Partitions paused on a batch that cannot be read, by "topic:partition". */
  private readonly stalls = new Map<string, UnreadableBatch>();
  /** Serialises starts, re-subscriptions and stop. */
  private chain: Promise<void> = Promise.resolve();
  private watchTimer: NodeJS.Timeout | undefined;
  private resolveStarted!: () => void;
  /** Resolves once the consumer first runs (never, if stopped before). */
  readonly started: Promise<void>;

  constructor(
    private readonly settings: WorkerSettings,
    private readonly parts: WorkerParts,
    private readonly deps: WorkerDeps,
  ) {
    this.started = new Promise((resolve) => (this.resolveStarted = resolve));
    this.connection = new ConnectionState(deps.observer, deps.logger);
    this.deadLetterWarnings = new RateLimitedLog<DeadLetterInfo>(({ key, count, sample }) => {
      deps.logger.warn(
        { event: 'dead-letter', reason: key, count, sample: { topic: sample.topic, partition: sample.partition, offset: sample.offset, error: sample.error } },
        `${count} record(s) dead-lettered: ${key}`,
      );
    }, settings.warnWindowMs ?? 10_000);
    this.flushTimer = setInterval(() => this.deadLetterWarnings.flush(), settings.warnWindowMs ?? 10_000);
    this.flushTimer.unref();
    this.source = parts.createSource(this.listener);
  }

  /** Events of the consumer group, turned into log lines and observer calls. */
  readonly listener: SourceListener = {
    joined: ({ memberId, isLeader, assignment }) => {
      const partitions = assignment.reduce((n, a) => n + a.partitions.length, 0);
      this.assignedPartitions = partitions;
      this.keepStallsOf(assignment);
      this.connection.reachable();
      this.deps.observer.groupJoined();
      this.deps.observer.rebalance('assigned', partitions);
      this.deps.logger.info(
        { event: 'group-joined', groupId: this.settings.groupId, memberId, isLeader, partitions, assignment: assignment.map((a) => `${a.topic}:${a.partitions.join(',')}`) },
        `joined group ${this.settings.groupId} with ${partitions} partition(s)`,
      );
      this.resolveStarted();
    },
    rebalancing: () => {
      this.deps.observer.rebalance('revoked', this.assignedPartitions);
      this.deps.logger.info(
        { event: 'rebalance', groupId: this.settings.groupId, revoked: this.assignedPartitions },
        'group is rebalancing: re-joining',
      );
      this.assignedPartitions = 0;
    },
    crashed: (error, restarting) => {
      // A client that cannot read what the broker sent is not a broker outage (the fetch guard
      // keeps such errors out of the fetch path; this covers any that still get through), nor is
      // a broker that answered with a group-coordinator state: /readyz still says not consuming.
      const line = crashLine(error, restarting);
      if (line.fields.cause === 'unreachable') this.connection.unreachable(error.message);
      this.deps.observer.consumerStopped?.(error.message);
      this.deps.logger[line.level](line.fields, line.msg);
    },
    connected: () => this.connection.reachable(),
    progress: () => this.deps.observer.consumerProgress?.(),
    partitionStalled: (batch) => {
      const key = `${batch.topic}:${batch.partition}`;
      const known = this.stalls.get(key);
      if (known !== undefined && known.offset === batch.offset && known.reason === batch.reason) return;
      this.stalls.set(key, batch);
      this.deps.observer.partitionStalls([...this.stalls.values()]);
      this.deps.logger.error(
        { event: 'partition-stalled', topic: batch.topic, partition: batch.partition, offset: batch.offset, reason: batch.reason, error: batch.error },
        `partition ${batch.topic}[${batch.partition}] stalled at offset ${batch.offset}: ${batch.reason} (${batch.error}); ` +
          'paused, nothing committed past it, the other partitions go on (docs/runbook.md#faultlinepartitionstalled)',
      );
    },
  };

  /** After a rebalance, the stalls of partitions this worker no longer holds are not its own. */
  private keepStallsOf(assignment: readonly PartitionAssignment[]): void {
    const held = new Set(assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`)));
    let changed = false;
    for (const key of [...this.stalls.keys()]) {
      if (!held.has(key)) changed = this.stalls.delete(key) || changed;
    }
    if (changed) this.deps.observer.partitionStalls([...this.stalls.values()]);
  }

  /** Starts consuming in the background; `started` says when the group was joined. */
  start(): void {
    const handler = createBatchHandler({
      settings: this.settings,
      banks: this.deps.banks,
      processorFor: this.deps.processorFor,
      sink: this.parts.sink,
      observer: this.deps.observer,
      deadLetterWarnings: this.deadLetterWarnings,
      onCommitted: (report) => {
        this.connection.reachable();
        // One line per batch, never per record; only when debugging.
        if (this.deps.logger.isLevelEnabled('debug')) {
          this.deps.logger.debug(
            {
              event: 'batch-committed',
              topic: report.topic,
              partition: report.partition,
              lastOffset: report.lastOffset,
              records: report.records,
              latencyMs: Math.round(report.latencySeconds * 1e4) / 10,
            },
            'batch committed',
          );
        }
      },
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs ?? 1000,
      ...(this.deps.guard === undefined ? {} : { guard: this.deps.guard }),
    });
    this.deps.logger.info(
      {
        event: 'start',
        groupId: this.settings.groupId,
        inputTopics: describeTopicSpec(this.settings.topics),
        outputTopic: this.settings.outputTopic,
        dlqTopic: this.settings.dlqTopic,
        emit: this.settings.emit,
        rules: this.deps.banks.current().rules.length,
      },
      'worker starting',
    );
    this.enqueue(async () => {
      const backoff = new Backoff(1000, 30_000);
      while (!this.stopping.signal.aborted) {
        try {
          // The producer connects on its first write: a SIGTERM while Kafka is away at start-up
          // then waits for one short topic listing at most, not for a producer's retries.
          await this.refreshTopics(handler, true);
          break;
        } catch (err) {
          this.connection.unreachable((err as Error).message);
          await abortableSleep(backoff.next(), this.stopping.signal);
        }
      }
      if (this.stopping.signal.aborted) return;
      this.watchTimer = setInterval(() => this.enqueue(() => this.refreshTopics(handler, false)), this.settings.topicRefreshMs);
    });
  }

  /** Stops fetching, lets the batch in hand finish and commit, leaves the group, disconnects. */
  async stop(reason: string): Promise<void> {
    if (this.stopping.signal.aborted) return this.chain;
    this.deps.logger.info({ event: 'shutdown', reason }, `shutting down (${reason}): finishing the batch in hand`);
    this.stopping.abort();
    clearInterval(this.watchTimer);
    clearInterval(this.flushTimer);
    // Not queued behind a start that is waiting for Kafka: the abort ends that wait.
    const pending = this.chain;
    await this.source.stop().catch((err: unknown) => this.logStopError('consumer', err));
    await pending.catch(() => undefined);
    await this.source.stop().catch((err: unknown) => this.logStopError('consumer', err));
    // Nothing in hand any more, and this was no crash: the next start owes no record anything.
    this.deps.guard?.clear();
    await this.parts.sink.disconnect().catch((err: unknown) => this.logStopError('producer', err));
    await this.parts.admin.disconnect().catch((err: unknown) => this.logStopError('admin', err));
    this.deadLetterWarnings.flush(true);
    this.deps.logger.info({ event: 'stopped' }, 'worker stopped: offsets of written batches committed');
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err: unknown) => {
      // Checked again at the next interval; an outage is logged once, by the connection state.
      this.connection.unreachable((err as Error).message);
      this.deps.logger.debug({ event: 'topic-check-failed', error: (err as Error).message }, 'could not check the input topics: will retry');
    });
  }

  private async refreshTopics(handler: BatchHandler, first: boolean): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const available = await this.parts.admin.listTopics();
    this.connection.reachable();
    await this.refreshLimits(available);
    const { topics, missing } = resolveTopics(this.settings.topics, available, [this.settings.outputTopic, this.settings.dlqTopic]);
    if (first) this.checkOwnTopics(available);
    if (this.subscribed !== undefined && sameTopics(topics, this.subscribed)) return;
    if (first && missing.length > 0) {
      this.deps.logger.warn({ event: 'topics-missing', missing }, `input topic(s) not found yet: ${missing.join(', ')}`);
    }
    if (topics.length === 0) {
      if (first) {
        this.deps.logger.warn(
          { event: 'no-input-topics', inputTopics: describeTopicSpec(this.settings.topics) },
          `no topic matches ${describeTopicSpec(this.settings.topics)} yet: checking every ${this.settings.topicRefreshMs} ms`,
        );
      }
      return;
    }
    if (this.subscribed !== undefined) {
      this.deps.logger.info({ event: 'resubscribe', from: this.subscribed, to: topics }, 'input topics changed: re-subscribing');
      await this.source.stop();
      // If the start below fails, the next check must start again, whatever the topics.
      this.subscribed = undefined;
    }
    if (this.stopping.signal.aborted) return;
    this.deps.logger.info({ event: 'subscribe', topics }, `consuming ${topics.length} topic(s)`);
    await this.source.start(topics, handler);
    this.subscribed = topics;
  }

  /** max.message.bytes of the topics we write to, as the broker has them now. */
  private async refreshLimits(available: readonly string[]): Promise<void> {
    const limits = this.settings.topicLimits;
    if (limits === undefined || !limits.fromBroker) return;
    const own = [this.settings.outputTopic, this.settings.dlqTopic].filter((t) => available.includes(t));
    if (own.length === 0) return;
    const found = await this.parts.admin.maxMessageBytes(own);
    for (const topic of limits.update(found)) {
      this.deps.logger.info({ event: 'topic-limit', topic, maxMessageBytes: limits.of(topic) }, `${topic} takes record batches of up to ${limits.of(topic)} bytes`);
    }
  }

  private checkOwnTopics(available: readonly string[]): void {
    for (const topic of [this.settings.outputTopic, this.settings.dlqTopic]) {
      if (!available.includes(topic)) {
        this.deps.logger.warn(
          { event: 'topic-missing', topic },
          `topic ${topic} does not exist: writes will create it only if the broker allows auto-creation`,
        );
      }
    }
  }

  private logStopError(what: string, err: unknown): void {
    this.deps.logger.warn({ event: 'shutdown-error', what, error: (err as Error).message }, `error while closing the ${what}`);
  }
}

