import { describe, expect, it } from 'vitest';
import { createMetrics, type FaultlineMetrics } from '../../src/metrics/registry.js';
import { MetricsObserver } from '../../src/metrics/observer.js';
import { Readiness } from '../../src/http/readiness.js';
import { parseExposition, seriesOf, type Exposition } from './exposition.js';
import { RULES, batch, record, rulesReport } from './fixtures.js';

const HIKARI = 'java/hikari-connection-timeout';
const HTTPCLIENT = 'dotnet/httpclient-pool-exhausted';
const PORTS = 'linux/ephemeral-port-exhaustion';
const REJECTED = 'java/rejected-execution';
const TIMEOUT = 'generic/read-timeout';

function setup(options: { serviceLabelLimit?: number; topics?: string[] } = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const observer = new MetricsObserver({
    metrics,
    serviceLabelLimit: options.serviceLabelLimit ?? 100,
    ...(options.topics ? { topics: options.topics } : {}),
    now: () => 1_700_000_000_000,
  });
  return { metrics, observer };
}

async function scrape(metrics: FaultlineMetrics): Promise<Exposition> {
  return parseExposition(await metrics.registry.metrics());
}

/**
 * New series are exported at 0 first and get their counts on the next scrape (DeferredCounter):
 * two scrapes settle every count.
 */
async function settled(metrics: FaultlineMetrics): Promise<Exposition> {
  await metrics.registry.metrics();
  return scrape(metrics);
}

describe('MetricsObserver: series at start-up', () => {
  it('exports every rule and signal series at 0 once rules are loaded, with service="unknown"', async () => {
    const { metrics, observer } = setup({ topics: ['logs.app'] });
    observer.rulesLoaded(rulesReport());
    const e = await scrape(metrics);

    expect(seriesOf(e, 'faultline_matches_total')).toEqual({
      [`category=network,domain=linux,error_id=${PORTS},service=unknown`]: 0,
      [`category=database,domain=java,error_id=${HIKARI},service=unknown`]: 0,
      [`category=http,domain=dotnet,error_id=${HTTPCLIENT},service=unknown`]: 0,
      [`category=concurrency,domain=java,error_id=${REJECTED},service=unknown`]: 0,
      [`category=network,domain=generic,error_id=${TIMEOUT},service=unknown`]: 0,
    });
    expect(seriesOf(e, 'faultline_pool_starvation_events_total')).toEqual({
      [`error_id=${HIKARI},service=unknown`]: 0,
      [`error_id=${HTTPCLIENT},service=unknown`]: 0,
    });
    expect(seriesOf(e, 'faultline_socket_exhaustion_events_total')).toEqual({
      [`error_id=${PORTS},service=unknown`]: 0,
      [`error_id=${HTTPCLIENT},service=unknown`]: 0,
    });
    expect(seriesOf(e, 'faultline_thread_starvation_events_total')).toEqual({
      [`error_id=${REJECTED},service=unknown`]: 0,
    });
    expect(seriesOf(e, 'faultline_records_consumed_total')).toEqual({ 'topic=logs.app': 0 });
    expect(Object.keys(seriesOf(e, 'faultline_records_dead_lettered_total')).sort()).toEqual([
      'reason=binary,topic=logs.app',
      'reason=crashed-worker,topic=logs.app',
      'reason=headers-too-large,topic=logs.app',
      'reason=invalid-otlp,topic=logs.app',
      'reason=invalid-utf8,topic=logs.app',
      'reason=key-too-large,topic=logs.app',
      'reason=output-refused,topic=logs.app',
      'reason=output-too-large,topic=logs.app',
      'reason=processing-error,topic=logs.app',
      'reason=too-large,topic=logs.app',
      'reason=too-many-headers,topic=logs.app',
    ]);
    expect(seriesOf(e, 'faultline_rules_reloads_total')).toEqual({ 'result=failure': 0, 'result=success': 1 });
    expect(seriesOf(e, 'faultline_rules_loaded')).toEqual({ '': 5 });
    expect(seriesOf(e, 'faultline_rules_last_reload_success')).toEqual({ '': 1 });
    expect(seriesOf(e, 'faultline_rules_last_reload_timestamp_seconds')).toEqual({ '': 1_700_000_000 });
    expect(seriesOf(e, 'faultline_rules_build_seconds')).toEqual({ '': 0.25 });
    expect(seriesOf(e, 'faultline_rules_version_info')).toEqual({ 'rules_version=v1abc': 1 });
  });

  it('exports one info series per rule with its metadata and shortened KB text', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    const e = await scrape(metrics);
    const info = e.samples.filter((s) => s.name === 'faultline_rule_info');
    expect(info).toHaveLength(RULES.length);
    expect(info.find((s) => s.labels.error_id === HTTPCLIENT)?.labels).toEqual({
      error_id: HTTPCLIENT,
      domain: 'dotnet',
      category: 'http',
      signals: 'pool-starvation,socket-exhaustion',
      confidence: '',
      verification_tier: '',
      rules_version: 'v1abc',
      root_cause: '',
      workaround: '',
    });
    expect(info.find((s) => s.labels.error_id === HIKARI)?.labels).toMatchObject({
      confidence: '0.95',
      verification_tier: 'verified',
      root_cause: 'No connection became free in the Hikari pool within connectionTimeout.',
      workaround: 'Find the code path holding connections (leakDetectionThreshold), then size the pool.',
    });
  });

  it('has no rule series and reports the reload as not (yet) successful before the first load', async () => {
    const { metrics } = setup();
    const e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_matches_total')).toEqual({});
    expect(seriesOf(e, 'faultline_rules_last_reload_success')).toEqual({ '': 0 });
    expect(seriesOf(e, 'faultline_rebalances_total')).toEqual({ 'event=assigned': 0, 'event=revoked': 0 });
  });
});

describe('MetricsObserver: counting', () => {
  it('counts exactly per rule, per signal and per topic', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    observer.batch(
      batch({
        matched: [
          record('checkout', [HIKARI], ['pool-starvation']),
          record('checkout', [HIKARI], ['pool-starvation']),
          record('payments', [PORTS], ['socket-exhaustion']),
          record(undefined, [REJECTED, TIMEOUT], ['thread-starvation']),
        ],
        unmatched: 6,
        bytes: 4096,
        deadLettered: { 'too-large': 2 },
        decodeIssues: { 'invalid-json': 3 },
      }),
    );
    const e = await settled(metrics);
    expect(seriesOf(e, 'faultline_pool_starvation_events_total')).toEqual({
      [`error_id=${HIKARI},service=unknown`]: 0,
      [`error_id=${HTTPCLIENT},service=unknown`]: 0,
      [`error_id=${HIKARI},service=checkout`]: 2,
    });
    expect(seriesOf(e, 'faultline_socket_exhaustion_events_total')).toMatchObject({ [`error_id=${PORTS},service=payments`]: 1 });
    expect(seriesOf(e, 'faultline_thread_starvation_events_total')).toEqual({ [`error_id=${REJECTED},service=unknown`]: 1 });
    const matches = seriesOf(e, 'faultline_matches_total');
    expect(matches[`category=database,domain=java,error_id=${HIKARI},service=checkout`]).toBe(2);
    expect(matches[`category=network,domain=generic,error_id=${TIMEOUT},service=unknown`]).toBe(1);
    expect(matches[`category=concurrency,domain=java,error_id=${REJECTED},service=unknown`]).toBe(1);
    expect(seriesOf(e, 'faultline_records_consumed_total')).toEqual({ 'topic=logs.app': 10 });
    expect(seriesOf(e, 'faultline_records_matched_total')).toEqual({ 'topic=logs.app': 4 });
    expect(seriesOf(e, 'faultline_records_unmatched_total')).toEqual({ 'topic=logs.app': 6 });
    expect(seriesOf(e, 'faultline_consumed_bytes_total')).toEqual({ 'topic=logs.app': 4096 });
    expect(seriesOf(e, 'faultline_records_dead_lettered_total')['reason=too-large,topic=logs.app']).toBe(2);
    expect(seriesOf(e, 'faultline_records_dead_lettered_total')['reason=binary,topic=logs.app']).toBe(0);
    expect(seriesOf(e, 'faultline_records_decode_issues_total')['issue=invalid-json,topic=logs.app']).toBe(3);
    expect(seriesOf(e, 'faultline_batch_latency_seconds_count')).toEqual({ 'topic=logs.app': 1 });
    expect(seriesOf(e, 'faultline_batch_latency_seconds_bucket')['le=0.025,topic=logs.app']).toBe(1);
    expect(seriesOf(e, 'faultline_batch_latency_seconds_bucket')['le=0.01,topic=logs.app']).toBe(0);
  });

  it('counts a record once per signal when two rules of that signal match it, under the first of them', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    observer.batch(batch({ matched: [record('api', [HIKARI, HTTPCLIENT], ['pool-starvation', 'socket-exhaustion'])] }));
    const e = await settled(metrics);
    const pool = seriesOf(e, 'faultline_pool_starvation_events_total');
    expect(pool[`error_id=${HIKARI},service=api`]).toBe(1);
    expect(pool[`error_id=${HTTPCLIENT},service=api`]).toBeUndefined();
    expect(Object.values(pool).reduce((a, b) => a + b, 0)).toBe(1);
    // HIKARI does not carry socket-exhaustion: the record counts under the rule that does.
    const sockets = seriesOf(e, 'faultline_socket_exhaustion_events_total');
    expect(sockets[`error_id=${HTTPCLIENT},service=api`]).toBe(1);
    expect(Object.values(sockets).reduce((a, b) => a + b, 0)).toBe(1);
    // Per rule, both matches count.
    const matches = seriesOf(e, 'faultline_matches_total');
    expect(matches[`category=database,domain=java,error_id=${HIKARI},service=api`]).toBe(1);
    expect(matches[`category=http,domain=dotnet,error_id=${HTTPCLIENT},service=api`]).toBe(1);
  });

  it('counts a signal under the matching rule of highest confidence, not the first in file order (a family rule loses to the precise one)', async () => {
    const FAMILY = 'generic/worker-process-limit-reached';
    const FPM = 'php/fpm-max-children-reached';
    const PLAIN = 'ruby/no-confidence';
    const rules = [
      { id: FAMILY, domain: 'generic', category: 'concurrency', signals: ['thread-starvation' as const], confidence: 0.5 },
      { id: PLAIN, domain: 'ruby', category: 'concurrency', signals: ['thread-starvation' as const] },
      { id: FPM, domain: 'php', category: 'concurrency', signals: ['thread-starvation' as const], confidence: 0.9 },
      { id: 'php/fpm-twin', domain: 'php', category: 'concurrency', signals: ['thread-starvation' as const], confidence: 0.9 },
    ];
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport(rules));
    observer.batch(
      batch({
        matched: [
          record('search', [FAMILY, FPM], ['thread-starvation']),
          record('search', [FAMILY, PLAIN], ['thread-starvation']),
          record('search', [FPM, 'php/fpm-twin'], ['thread-starvation']),
          record('search', ['php/fpm-twin', FPM], ['thread-starvation']),
        ],
      }),
    );
    const threads = seriesOf(await settled(metrics), 'faultline_thread_starvation_events_total');
    // Precise over family; a stated confidence over none; the first of equals.
    expect(threads[`error_id=${FPM},service=search`]).toBe(2);
    expect(threads[`error_id=${FAMILY},service=search`]).toBe(1);
    expect(threads[`error_id=php/fpm-twin,service=search`]).toBe(1);
    expect(threads[`error_id=${PLAIN},service=search`]).toBeUndefined();
    expect(Object.values(threads).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('exports a new series at 0 on the first scrape and its count from the next one, so rate() sees it', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    observer.batch(batch({ matched: [record('checkout', [HIKARI], ['pool-starvation'])] }));
    const first = await scrape(metrics);
    expect(seriesOf(first, 'faultline_pool_starvation_events_total')[`error_id=${HIKARI},service=checkout`]).toBe(0);
    observer.batch(batch({ matched: [record('checkout', [HIKARI], ['pool-starvation'])] }));
    const second = await scrape(metrics);
    expect(seriesOf(second, 'faultline_pool_starvation_events_total')[`error_id=${HIKARI},service=checkout`]).toBe(2);
    observer.batch(batch({ matched: [record('checkout', [HIKARI], ['pool-starvation'])] }));
    const third = await scrape(metrics);
    expect(seriesOf(third, 'faultline_pool_starvation_events_total')[`error_id=${HIKARI},service=checkout`]).toBe(3);
  });

  it('computes consumer lag per partition and forgets it when partitions are revoked', async () => {
    const { metrics, observer } = setup();
    observer.batch(batch({ partition: 3, lastOffset: '89', highWatermark: '100' }));
    observer.batch(batch({ partition: 4, lastOffset: '99', highWatermark: '100' }));
    observer.batch(batch({ topic: 'logs.db', partition: 0, lastOffset: '9007199254740990', highWatermark: '9007199254741000' }));
    let e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_consumer_lag')).toEqual({
      'partition=3,topic=logs.app': 10,
      'partition=4,topic=logs.app': 0,
      'partition=0,topic=logs.db': 9,
    });
    observer.rebalance('revoked', 3);
    e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_consumer_lag')).toEqual({});
    expect(seriesOf(e, 'faultline_rebalances_total')).toEqual({ 'event=assigned': 0, 'event=revoked': 1 });
  });

  it('folds unknown dead-letter reasons and decode issues into "other" rather than trusting the keys', async () => {
    const { metrics, observer } = setup();
    observer.batch(batch({ deadLettered: { 'weird\nreason': 1 } as never, decodeIssues: { 'something-new': 2 } }));
    const e = await settled(metrics);
    expect(seriesOf(e, 'faultline_records_dead_lettered_total')['reason=other,topic=logs.app']).toBe(1);
    expect(seriesOf(e, 'faultline_records_decode_issues_total')['issue=other,topic=logs.app']).toBe(2);
  });
});

describe('MetricsObserver: service label', () => {
  it('keeps the first N services and counts later ones as "other", with an overflow counter', async () => {
    const { metrics, observer } = setup({ serviceLabelLimit: 2 });
    observer.rulesLoaded(rulesReport());
    observer.batch(
      batch({
        matched: ['a', 'b', 'c', 'a', 'd', undefined, 'c'].map((s) => record(s, [HIKARI], ['pool-starvation'])),
      }),
    );
    const e = await settled(metrics);
    expect(seriesOf(e, 'faultline_pool_starvation_events_total')).toEqual({
      [`error_id=${HIKARI},service=unknown`]: 1,
      [`error_id=${HTTPCLIENT},service=unknown`]: 0,
      [`error_id=${HIKARI},service=a`]: 2,
      [`error_id=${HIKARI},service=b`]: 1,
      [`error_id=${HIKARI},service=other`]: 3,
    });
    expect(seriesOf(e, 'faultline_service_label_overflow_total')).toEqual({ '': 3 });
  });

  it('sanitises service values before they become labels', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    observer.batch(
      batch({
        matched: [
          record('  check\nout\u0000 ', [HIKARI], ['pool-starvation']),
          record('x'.repeat(500), [HIKARI], ['pool-starvation']),
          record('\u0007\t', [HIKARI], ['pool-starvation']),
        ],
      }),
    );
    const e = await settled(metrics);
    expect(seriesOf(e, 'faultline_pool_starvation_events_total')).toMatchObject({
      [`error_id=${HIKARI},service=check out`]: 1,
      [`error_id=${HIKARI},service=${'x'.repeat(64)}`]: 1,
      [`error_id=${HIKARI},service=unknown`]: 1,
    });
  });
});

describe('MetricsObserver: reloads', () => {
  it('removes the series of rules that are gone, creates those of new rules, and relabels changed ones', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    observer.batch(batch({ matched: [record('api', [HIKARI, HTTPCLIENT], ['pool-starvation', 'socket-exhaustion'])] }));
    await settled(metrics);

    const next = [
      ...RULES.filter((r) => r.id !== HIKARI && r.id !== HTTPCLIENT && r.id !== TIMEOUT),
      { id: HTTPCLIENT, domain: 'dotnet', category: 'http', signals: ['socket-exhaustion' as const] },
      { id: TIMEOUT, domain: 'generic', category: 'timeouts', signals: [] },
      { id: 'go/pgx-pool-exhausted', domain: 'go', category: 'database', signals: ['pool-starvation' as const] },
    ];
    observer.rulesLoaded(rulesReport(next, { version: 'v2def' }));
    const e = await scrape(metrics);

    expect(seriesOf(e, 'faultline_pool_starvation_events_total')).toEqual({ 'error_id=go/pgx-pool-exhausted,service=unknown': 0 });
    expect(seriesOf(e, 'faultline_socket_exhaustion_events_total')).toEqual({
      [`error_id=${PORTS},service=unknown`]: 0,
      [`error_id=${HTTPCLIENT},service=unknown`]: 0,
      [`error_id=${HTTPCLIENT},service=api`]: 1,
    });
    const matches = seriesOf(e, 'faultline_matches_total');
    expect(Object.keys(matches).filter((k) => k.includes(HIKARI))).toEqual([]);
    expect(matches[`category=http,domain=dotnet,error_id=${HTTPCLIENT},service=api`]).toBe(1);
    expect(matches[`category=network,domain=generic,error_id=${TIMEOUT},service=unknown`]).toBeUndefined();
    expect(matches[`category=timeouts,domain=generic,error_id=${TIMEOUT},service=unknown`]).toBe(0);
    expect(matches['category=database,domain=go,error_id=go/pgx-pool-exhausted,service=unknown']).toBe(0);
    const info = e.samples.filter((s) => s.name === 'faultline_rule_info');
    expect(info.map((s) => s.labels.error_id).sort()).toEqual(next.map((r) => r.id).sort());
    expect(new Set(info.map((s) => s.labels.rules_version))).toEqual(new Set(['v2def']));
    expect(seriesOf(e, 'faultline_rules_version_info')).toEqual({ 'rules_version=v2def': 1 });
    expect(seriesOf(e, 'faultline_rules_reloads_total')).toEqual({ 'result=failure': 0, 'result=success': 2 });
  });

  it('keeps the active rules series on a failed reload and reports the failure', async () => {
    const { metrics, observer } = setup();
    observer.rulesLoaded(rulesReport());
    const before = seriesOf(await scrape(metrics), 'faultline_rule_info');
    observer.rulesLoaded(rulesReport([], { ok: false, rules: 0, problems: 3, version: 'broken' }));
    const e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_rule_info')).toEqual(before);
    expect(seriesOf(e, 'faultline_rules_loaded')).toEqual({ '': 5 });
    expect(seriesOf(e, 'faultline_rules_problems')).toEqual({ '': 3 });
    expect(seriesOf(e, 'faultline_rules_last_reload_success')).toEqual({ '': 0 });
    expect(seriesOf(e, 'faultline_rules_version_info')).toEqual({ 'rules_version=v1abc': 1 });
    expect(seriesOf(e, 'faultline_rules_reloads_total')).toEqual({ 'result=failure': 1, 'result=success': 1 });
  });
});

describe('MetricsObserver: group and broker state', () => {
  it('tracks group membership, partitions, commit failures, broker connection and readiness', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const readiness = new Readiness({ brokerDownGraceMs: 1000, now: () => 0 });
    const observer = new MetricsObserver({ metrics, readiness, serviceLabelLimit: 10 });
    let e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_ready')).toEqual({ '': 0 });
    expect(seriesOf(e, 'faultline_consumer_group_joined')).toEqual({ '': 0 });

    observer.rulesLoaded(rulesReport());
    observer.brokerConnection(true);
    observer.groupJoined();
    observer.rebalance('assigned', 6);
    observer.commitFailed(new Error('rebalance in progress'));
    e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_ready')).toEqual({ '': 1 });
    expect(seriesOf(e, 'faultline_consumer_group_joined')).toEqual({ '': 1 });
    expect(seriesOf(e, 'faultline_assigned_partitions')).toEqual({ '': 6 });
    expect(seriesOf(e, 'faultline_commit_failures_total')).toEqual({ '': 1 });
    expect(seriesOf(e, 'faultline_broker_connection_up')).toEqual({ '': 1 });

    observer.rebalance('revoked', 6);
    e = await scrape(metrics);
    expect(seriesOf(e, 'faultline_ready')).toEqual({ '': 0 });
    expect(seriesOf(e, 'faultline_consumer_group_joined')).toEqual({ '': 0 });
    expect(seriesOf(e, 'faultline_assigned_partitions')).toEqual({ '': 0 });
  });
});

describe('createMetrics', () => {
  it('gives every call its own registry, so two workers in one process do not collide', async () => {
    const a = createMetrics();
    const b = createMetrics();
    new MetricsObserver({ metrics: a, serviceLabelLimit: 1 }).batch(batch());
    const eb = await scrape(b);
    expect(seriesOf(eb, 'faultline_records_consumed_total')).toEqual({});
    expect(eb.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(eb.types.get('faultline_pool_starvation_events_total')).toBe('counter');
    expect(eb.types.get('faultline_batch_latency_seconds')).toBe('histogram');
  });
});
