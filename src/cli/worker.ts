import type { Config } from '../config/config.js';
import { KafkajsAdmin } from '../kafka/admin.js';
import { checkKafkaAccess } from '../kafka/access-check.js';
import { createKafka } from '../kafka/client.js';
import { KafkajsGroupSource } from '../kafka/group-source.js';
import { KafkajsSink } from '../kafka/sink.js';
import { TopicLimits } from '../kafka/topic-limits.js';
import { resolveOutputCompression } from '../kafka/codecs/output-compression.js';
import { parseTopicSpec } from '../kafka/topic-spec.js';
import type { Logger } from '../log.js';
import type { MatcherBank } from '../match/types.js';
import { NOOP_OBSERVER, type PipelineObserver } from '../pipeline/observer.js';
import { MatcherPool } from '../pool/matcher-pool.js';
import { poolBank } from '../pool/pooled-bank.js';
import { usableCores } from '../pool/thread-count.js';
import type { BankHolder } from '../ruleset/bank-holder.js';
import { coreProcessorFor } from '../worker/core-processor.js';
import { kafkaLogToPino, kafkaVerbosity } from '../worker/kafka-log.js';
import { bankCacheFrom } from '../ruleset/bank-cache.js';
import { openLiveRules } from '../ruleset/live-rules.js';
import type { ProcessorFactory } from '../worker/record-outcome.js';
import { Worker } from '../worker/worker.js';
import { handOverEarlyStop } from './early-stop.js';
import { openPoisonGuard } from '../worker/open-poison-guard.js';
import { withTestCrash } from '../worker/test-crash.js';

/**
 * Knobs that are not settings an operator should need; tests and the benchmark turn them (in
 * code, or through the FAULTLINE_TUNING setting for `faultline worker`).
 */
export interface WorkerTuning {
  /** How often the topic list is checked for new topics matching an input pattern. */
  topicRefreshMs: number;
  /** Partitions of one fetch worked on at once: one plans while another waits for its writes. */
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /**
   * Bytes fetched per partition per request. 512 KiB measured as fast as 1 MiB on
   * `npm run bench:e2e`, with half the p99 batch latency and less memory in flight.
   */
  maxBytesPerPartition: number;
  /**
   * Largest record batch written to a topic whose max.message.bytes the broker did not tell (the
   * broker default is 1 MiB + 12).
   */
  maxWriteBytes: number;
}

export const DEFAULT_TUNING: WorkerTuning = {
  topicRefreshMs: 30_000,
  partitionsConsumedConcurrently: 2,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3000,
  maxBytesPerPartition: 512 * 1024,
  maxWriteBytes: 1_000_000,
};

export interface WorkerDeps {
  logger: Logger;
  observer?: PipelineObserver;
  /** The rule bank: share a holder to swap banks from outside; else `loadBank` (default: config.rules). */
  banks?: BankHolder;
  /** Rules from elsewhere: used for the first load and every reload; the rule directories are then not watched. */
  loadBank?: () => Promise<MatcherBank>;
  /** The matching core per record (default: decode → match → tag). */
  processorFor?: ProcessorFactory;
  tuning?: Partial<WorkerTuning>;
}

export interface WorkerHandle {
  /** Resolves once the consumer group was joined the first time. */
  readonly started: Promise<void>;
  readonly banks: BankHolder;
  /** Finishes the batch in hand, commits it, leaves the group and disconnects. */
  stop(reason?: string): Promise<void>;
  /**
   * Loads the rules again and swaps them in between batches; false (old rules kept) when the
   * new rules were refused. A call during a reload gets one follow-up reload. `trigger` is logged.
   */
  reload(trigger?: string): Promise<boolean>;
}

/**
 * Starts a worker: loads the rules (unless given a bank), connects to Kafka and consumes in the
 * background. Resolves as soon as it runs; a broker that is down is waited for, not fatal, but
 * credentials or certificates the broker refuses reject with a KafkaSetupError.
 */
export async function runWorker(config: Config, deps: WorkerDeps): Promise<WorkerHandle> {
  const logger = deps.logger;
  const observer = deps.observer ?? NOOP_OBSERVER;
  const tuning: WorkerTuning = { ...DEFAULT_TUNING, ...sessionSettings(config), ...deps.tuning };
  const topics = parseTopicSpec(config.inputTopics);
  const threads = config.matchThreads ?? usableCores();
  // One thread: today's path, matching on the main thread, no pool.
  const pool = threads > 1 ? new MatcherPool({ threads, logger }) : undefined;
  const rules = await openLiveRules({
    dirs: config.rules,
    strict: config.strictRules,
    watchMs: config.rulesWatchMs,
    cache: bankCacheFrom(config.cacheDir, (message) => logger.warn({ event: 'rule-cache' }, message)),
    logger,
    observer,
    ...(deps.banks === undefined ? {} : { banks: deps.banks }),
    ...(deps.loadBank === undefined ? {} : { loadBank: deps.loadBank }),
    ...(pool === undefined ? {} : { prepareBank: (bank: MatcherBank) => poolBank(pool, bank) }),
  }).catch(async (err: unknown) => {
    await pool?.close();
    throw err;
  });
  const banks = rules.banks;
  logger.info(
    { event: 'match-threads', threads, pool: pool !== undefined },
    pool === undefined ? 'matching on the main thread' : `matching on ${threads} threads`,
  );

  // Credentials and certificates are checked once, before anything consumes: those errors stop
  // start-up with one line (a retry would not fix them), a broker that is down does not.
  try {
    await checkKafkaAccess(config);
  } catch (err) {
    rules.close();
    throw err;
  }
  const guard = openPoisonGuard(config, logger);
  const kafka = createKafka(config, kafkaLogToPino(logger), kafkaVerbosity(logger));
  const topicLimits = new TopicLimits(tuning.maxWriteBytes, config.maxMessageBytes);
  const worker = new Worker(
    {
      topics,
      groupId: config.groupId,
      outputTopic: config.outputTopic,
      dlqTopic: config.dlqTopic,
      emit: config.emit,
      maxWriteBytes: tuning.maxWriteBytes,
      topicLimits,
      recordLimits: { maxKeyBytes: config.maxKeyBytes, maxHeaders: config.maxHeaders, maxHeaderBytes: config.maxHeaderBytes },
      topicRefreshMs: tuning.topicRefreshMs,
      heartbeatIntervalMs: Math.min(1000, tuning.heartbeatIntervalMs),
    },
    {
      createSource: (listener) =>
        new KafkajsGroupSource(
          kafka,
          {
            groupId: config.groupId,
            fromBeginning: config.fromBeginning,
            sessionTimeoutMs: tuning.sessionTimeoutMs,
            heartbeatIntervalMs: tuning.heartbeatIntervalMs,
            // With threads, enough partitions' batches in hand that the main thread decodes and
            // tags some while the threads match others: two per thread.
            partitionsConsumedConcurrently: Math.max(tuning.partitionsConsumedConcurrently, pool === undefined ? 1 : 2 * threads),
            maxBytesPerPartition: tuning.maxBytesPerPartition,
          },
          listener,
        ),
      sink: new KafkajsSink(kafka, { compression: resolveOutputCompression(config.outputCompression), topicLimit: (topic) => topicLimits.of(topic) }),
      admin: new KafkajsAdmin(kafka),
    },
    {
      logger,
      observer,
      banks,
      processorFor: withTestCrash(deps.processorFor ?? coreProcessorFor(config)),
      ...(guard === undefined ? {} : { guard }),
    },
  );
  worker.start();
  rules.watch();

  return {
    started: worker.started,
    banks,
    stop: async (reason = 'requested') => {
      rules.stopReloading();
      await worker.stop(reason);
      rules.close();
      await pool?.close();
    },
    reload: (trigger) => rules.reload(trigger),
  };
}

/**
 * The session timeout setting, and a heartbeat interval that fits in it: the group coordinator
 * should hear from a member about three times per session, so that one late heartbeat is no
 * eviction.
 */
function sessionSettings(config: Config): Partial<WorkerTuning> {
  const sessionTimeoutMs = (config as Partial<Config>).sessionTimeoutMs;
  if (sessionTimeoutMs === undefined) return {};
  return { sessionTimeoutMs, heartbeatIntervalMs: Math.min(DEFAULT_TUNING.heartbeatIntervalMs, Math.floor(sessionTimeoutMs / 3)) };
}

export interface WorkerMainDeps extends WorkerDeps {
  /** Ends the process (tests replace it). */
  exit?: (code: number) => void;
  /** Called after the worker stopped cleanly, before exiting (e.g. close the metrics server). */
  onStopped?: () => Promise<void>;
}

/**
 * `faultline worker`: runs until SIGTERM or SIGINT, then stops within config.shutdownGraceMs —
 * exit 0 with the batch in hand committed, or exit 1 past the grace period without committing
 * anything unacknowledged. SIGHUP reloads the rules. A second SIGTERM/SIGINT exits at once.
 */
export async function workerMain(config: Config, deps: WorkerMainDeps): Promise<void> {
  const { logger } = deps;
  deps = { ...deps, tuning: { ...(config.tuning as Partial<WorkerTuning> | undefined), ...deps.tuning } };
  const exit = deps.exit ?? ((code: number) => flushThenExit(logger, code));
  let handle: WorkerHandle | undefined;
  let stopping = false;

  const onStop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ event: 'shutdown-forced', signal }, `${signal} again: exiting now without committing`);
      exit(1);
      return;
    }
    stopping = true;
    if (handle === undefined) {
      logger.info({ event: 'shutdown', reason: signal, phase: 'start-up' }, `${signal} during start-up: nothing consumed yet, stopping`);
    }
    const grace = setTimeout(() => {
      logger.error(
        { event: 'shutdown-timeout', graceMs: config.shutdownGraceMs },
        `shutdown took longer than ${config.shutdownGraceMs} ms: exiting without committing unacknowledged work`,
      );
      exit(1);
    }, config.shutdownGraceMs);
    void (async () => {
      try {
        await handle?.stop(signal);
        await deps.onStopped?.();
        clearTimeout(grace);
        exit(0);
      } catch (err) {
        clearTimeout(grace);
        logger.error({ event: 'shutdown-failed', error: (err as Error).message }, 'shutdown failed');
        exit(1);
      }
    })();
  };
  const onReload = () => {
    if (handle === undefined || stopping) return;
    void handle.reload('SIGHUP');
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onReload);
  handOverEarlyStop();

  try {
    handle = await runWorker(config, deps);
  } catch (err) {
    logger.fatal({ event: 'start-failed', error: (err as Error).message }, `worker cannot start: ${(err as Error).message}`);
    exit(1);
    return;
  }
  // A signal that came while the rules were loading: stop now that there is something to stop.
  if (stopping) await handle.stop('signal during start').catch(() => undefined);
}

function flushThenExit(logger: Logger, code: number): void {
  process.exitCode = code;
  logger.flush(() => process.exit(code));
  // pino flushes in microseconds; a stuck stderr must not keep us alive.
  setTimeout(() => process.exit(code), 1000).unref();
}
