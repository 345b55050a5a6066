import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SIGNALS, type Signal } from '../kb/types.js';
import { DeferredCounter } from './deferred-counter.js';

/**
 * Every metric family faultline exports, on a registry of its own (never prom-client's global
 * one) so that tests, or two workers in one process, each get an independent set.
 *
 * Counters whose label sets appear at run time (a new topic, service or rule) are DeferredCounters
 * so that rate() sees their first events; see deferred-counter.ts.
 */

/** Metric name of the headline family of each signal. */
export const SIGNAL_METRIC: Record<Signal, string> = {
  'socket-exhaustion': 'faultline_socket_exhaustion_events_total',
  'pool-starvation': 'faultline_pool_starvation_events_total',
  'thread-starvation': 'faultline_thread_starvation_events_total',
};

/**
 * Batch latency spans a small batch matched in a millisecond up to a batch stuck behind a slow
 * broker commit; the buckets are dense around the 10 ms – 1 s where a healthy worker lives.
 */
export const BATCH_LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface MetricsOptions {
  /** Node process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, …). Default true. */
  defaultMetrics?: boolean;
}

export type FaultlineMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // Gauges named like counters, which `promtool check metrics` rejects; their per-type
    // siblings (nodejs_active_handles{type}, …) carry the same numbers.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  /** Read at scrape time, so the ready gauge can never disagree with /readyz. */
  const hooks: { ready?: () => boolean } = {};

  const signalEvents = Object.fromEntries(
    SIGNALS.map((signal) => [
      signal,
      new DeferredCounter({
        name: SIGNAL_METRIC[signal],
        help: `Records showing ${signal}, counted once per record under the first matching rule (in rule order) that carries the signal.`,
        labelNames: ['service', 'error_id'] as const,
        registry,
      }),
    ]),
  ) as Record<Signal, DeferredCounter<'service' | 'error_id'>>;

  return {
    registry,
    hooks,
    signalEvents,
    matches: new DeferredCounter({
      name: 'faultline_matches_total',
      help: 'Records matched by each rule; a record matched by several rules counts once for each.',
      labelNames: ['error_id', 'domain', 'category', 'service'] as const,
      registry,
    }),
    ruleInfo: new Gauge({
      name: 'faultline_rule_info',
      help: 'One series per loaded rule, value 1: rule metadata to join on error_id (root_cause and workaround are KB text, shortened).',
      labelNames: ['error_id', 'domain', 'category', 'signals', 'confidence', 'verification_tier', 'rules_version', 'root_cause', 'workaround'] as const,
      registers,
    }),
    rulesVersion: new Gauge({
      name: 'faultline_rules_version_info',
      help: 'The content hash of the loaded rule files, value 1.',
      labelNames: ['rules_version'] as const,
      registers,
    }),
    rulesLoaded: new Gauge({ name: 'faultline_rules_loaded', help: 'Rules in the active matcher bank.', registers }),
    ruleProblems: new Gauge({ name: 'faultline_rules_problems', help: 'Problems found by the last rules load (bad rules skipped or refused).', registers }),
    bankBuildSeconds: new Gauge({ name: 'faultline_rules_build_seconds', help: 'Time the last successful rules load took to build the matcher bank.', registers }),
    lastReloadSuccess: new Gauge({ name: 'faultline_rules_last_reload_success', help: '1 if the last rules load succeeded, 0 if it failed (the previous bank stays active).', registers }),
    lastReloadTime: new Gauge({ name: 'faultline_rules_last_reload_timestamp_seconds', help: 'Unix time of the last rules load attempt.', registers }),
    reloads: new Counter({
      name: 'faultline_rules_reloads_total',
      help: 'Rules load attempts by result.',
      labelNames: ['result'] as const,
      registers,
    }),

    consumed: new DeferredCounter({ name: 'faultline_records_consumed_total', help: 'Records consumed.', labelNames: ['topic'] as const, registry }),
    matched: new DeferredCounter({ name: 'faultline_records_matched_total', help: 'Records that matched at least one rule.', labelNames: ['topic'] as const, registry }),
    unmatched: new DeferredCounter({ name: 'faultline_records_unmatched_total', help: 'Records that matched no rule.', labelNames: ['topic'] as const, registry }),
    deadLettered: new DeferredCounter({
      name: 'faultline_records_dead_lettered_total',
      help: 'Records sent to the dead-letter topic, by reason.',
      labelNames: ['topic', 'reason'] as const,
      registry,
    }),
    decodeIssues: new DeferredCounter({
      name: 'faultline_records_decode_issues_total',
      help: 'Records that decoded with an issue but were still matched, by issue.',
      labelNames: ['topic', 'issue'] as const,
      registry,
    }),
    consumedBytes: new DeferredCounter({ name: 'faultline_consumed_bytes_total', help: 'Bytes of record values consumed.', labelNames: ['topic'] as const, registry }),
    batchLatency: new Histogram({
      name: 'faultline_batch_latency_seconds',
      help: 'Time from receiving a batch to committing its offsets.',
      labelNames: ['topic'] as const,
      buckets: BATCH_LATENCY_BUCKETS,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'faultline_consumer_lag',
      help: 'Records behind the high watermark, per assigned partition, as of its last processed batch.',
      labelNames: ['topic', 'partition'] as const,
      registers,
    }),
    rebalances: new Counter({
      name: 'faultline_rebalances_total',
      help: 'Consumer group rebalance events: partitions assigned or revoked.',
      labelNames: ['event'] as const,
      registers,
    }),
    assignedPartitions: new Gauge({ name: 'faultline_assigned_partitions', help: 'Partitions currently assigned to this worker.', registers }),
    commitFailures: new Counter({ name: 'faultline_commit_failures_total', help: 'Offset commits that failed.', registers }),
    groupJoined: new Gauge({ name: 'faultline_consumer_group_joined', help: '1 while the consumer is a member of its group with an assignment, 0 before joining, during a rebalance and while it restarts after a failure (broker down).', registers }),
    partitionStalled: new Gauge({
      name: 'faultline_partition_stalled',
      help: '1 while a partition is paused on a record batch this worker cannot read (reason: unsupported_codec, decompression_failed, corrupt_batch, unknown_format).',
      labelNames: ['topic', 'partition', 'reason'] as const,
      registers,
    }),
    brokerUp: new Gauge({ name: 'faultline_broker_connection_up', help: '1 while the broker is reachable, 0 while it is not.', registers }),
    serviceOverflow: new Counter({
      name: 'faultline_service_label_overflow_total',
      help: 'Matched records whose service was counted as "other" because the distinct service limit was reached.',
      registers,
    }),
    ready: new Gauge({
      name: 'faultline_ready',
      help: '1 when /readyz reports ready, 0 otherwise.',
      registers,
      collect() {
        if (hooks.ready !== undefined) this.set(hooks.ready() ? 1 : 0);
      },
    }),
  };
}
