import { SIGNALS, type Signal } from '../kb/types.js';
import { DECODE_ISSUES } from '../decode/types.js';
import type { BatchReport, DeadLetterReason, PipelineObserver, RulesReport } from '../pipeline/observer.js';
import type { Readiness } from '../http/readiness.js';
import { STALL_REASONS, type UnreadableBatch } from '../kafka/unreadable-batch.js';
import type { FaultlineMetrics } from './registry.js';
import { ruleMeta, sameMatchLabels, type ReportedRule, type RuleMeta } from './rule-catalog.js';
import { ServiceLabels, UNKNOWN_SERVICE } from './service-label.js';

/**
 * The PipelineObserver that turns batch and rules reports into Prometheus metrics and feeds
 * readiness.
 *
 * Counting rules (docs/runbook.md, "Metrics"):
 * - faultline_matches_total counts every (record, rule) match.
 * - each signal family counts a record once per signal, under the rule of the record that carries
 *   the signal with the highest confidence (first in rule order on ties), so sum over error_id is
 *   the number of records showing the signal, never more.
 * - every loaded rule has its series at 0 from the load on, with service="unknown"; a reload
 *   removes the series of rules that are gone (or whose labels changed) and creates the new ones.
 */

/** The only values the reason/issue labels take: anything else in a report is counted as `other`. */
const DEAD_LETTER_REASONS = [
  'too-large',
  'binary',
  'invalid-utf8',
  'invalid-otlp',
  'processing-error',
  'key-too-large',
  'too-many-headers',
  'headers-too-large',
  'output-too-large',
  'output-refused',
  'crashed-worker',
] as const satisfies readonly DeadLetterReason[];

export interface MetricsObserverOptions {
  metrics: FaultlineMetrics;
  /** Distinct service label values before new services become `other`. */
  serviceLabelLimit: number;
  readiness?: Readiness;
  /** Topics known up front (plain subscriptions, not patterns): their series exist from start-up. */
  topics?: readonly string[];
  /** Unix milliseconds, for the reload timestamp. */
  now?: () => number;
}

export class MetricsObserver implements PipelineObserver {
  private readonly m: FaultlineMetrics;
  private readonly services: ServiceLabels;
  private readonly readiness: Readiness | undefined;
  private readonly now: () => number;
  private rules = new Map<string, RuleMeta>();
  private readonly topics = new Set<string>();
  private joined = false;

  constructor(options: MetricsObserverOptions) {
    this.m = options.metrics;
    this.readiness = options.readiness;
    this.now = options.now ?? Date.now;
    this.services = new ServiceLabels(options.serviceLabelLimit, () => this.m.serviceOverflow.inc());
    this.m.reloads.inc({ result: 'success' }, 0);
    this.m.reloads.inc({ result: 'failure' }, 0);
    this.m.rebalances.inc({ event: 'assigned' }, 0);
    this.m.rebalances.inc({ event: 'revoked' }, 0);
    // Until the first load there is no bank: report "failed" rather than a success that never was.
    this.m.lastReloadSuccess.set(0);
    this.m.brokerUp.set(0);
    this.m.ready.set(0);
    const readiness = this.readiness;
    if (readiness !== undefined) this.m.hooks.ready = () => readiness.status().ready;
    for (const topic of options.topics ?? []) this.topicSeen(topic);
  }

  /** The bounded, sanitised service label of a raw service name (counts overflow like batch does). */
  serviceLabel(raw: string | undefined): string {
    return this.services.label(raw);
  }

  batch(report: BatchReport): void {
    const topic = report.topic;
    this.topicSeen(topic);
    const m = this.m;
    m.consumed.inc({ topic }, report.records);
    m.consumedBytes.inc({ topic }, report.bytes);
    m.matched.inc({ topic }, report.matched.length);
    m.unmatched.inc({ topic }, report.unmatched);
    for (const [reason, n] of Object.entries(report.deadLettered)) {
      if (n) m.deadLettered.inc({ topic, reason: known(DEAD_LETTER_REASONS, reason) }, n);
    }
    for (const [issue, n] of Object.entries(report.decodeIssues)) {
      if (n) m.decodeIssues.inc({ topic, issue: known(DECODE_ISSUES, issue) }, n);
    }
    m.batchLatency.observe({ topic }, report.latencySeconds);
    const lag = lagOf(report);
    if (lag !== undefined) m.consumerLag.set({ topic, partition: String(report.partition) }, lag);
    this.countMatches(report);
  }

  /** Aggregates per batch first: one counter update per label set, not per record. */
  private countMatches(report: BatchReport): void {
    const ruleCounts = new Map<string, { id: string; service: string; n: number }>();
    const signalCounts = new Map<string, { signal: Signal; id: string; service: string; n: number }>();
    for (const record of report.matched) {
      const service = this.services.label(record.service);
      for (const id of new Set(record.ruleIds)) {
        const key = `${id}\u0000${service}`;
        const entry = ruleCounts.get(key);
        if (entry) entry.n += 1;
        else ruleCounts.set(key, { id, service, n: 1 });
      }
      for (const signal of new Set(record.signals)) {
        const id = this.attribute(signal, record.ruleIds);
        const key = `${signal}\u0000${id}\u0000${service}`;
        const entry = signalCounts.get(key);
        if (entry) entry.n += 1;
        else signalCounts.set(key, { signal, id, service, n: 1 });
      }
    }
    for (const { id, service, n } of ruleCounts.values()) {
      const meta = this.rules.get(id);
      this.m.matches.inc({ error_id: id, domain: meta?.domain ?? '', category: meta?.category ?? '', service }, n);
    }
    for (const { signal, id, service, n } of signalCounts.values()) {
      this.m.signalEvents[signal].inc({ service, error_id: id }, n);
    }
  }

  /**
   * The rule a record's signal is counted under: of its rules that carry the signal, the one with
   * the highest confidence (a rule without one ranks below any that has one), the first in rule
   * order on ties. A library's precise rule and a family rule often match the same text; rule
   * order is file order, so `generic/…` would otherwise take the count (and the alert's error_id,
   * root cause and fix) from `php/…` or `rust/…`. Family rules carry lower confidence by design.
   * A rule unknown to the catalog (a batch matched by a bank whose load has not been reported
   * yet) falls back to the record's first rule, so the record is still counted once.
   */
  private attribute(signal: Signal, ruleIds: readonly string[]): string {
    let best: string | undefined;
    let bestRank = -Infinity;
    for (const id of ruleIds) {
      const meta = this.rules.get(id);
      if (meta === undefined || !meta.signals.includes(signal)) continue;
      if (meta.rank > bestRank) {
        best = id;
        bestRank = meta.rank;
      }
    }
    return best ?? ruleIds[0] ?? '';
  }

  rulesLoaded(report: RulesReport): void {
    const m = this.m;
    m.lastReloadTime.set(Math.floor(this.now() / 1000));
    m.lastReloadSuccess.set(report.ok ? 1 : 0);
    m.reloads.inc({ result: report.ok ? 'success' : 'failure' });
    m.ruleProblems.set(report.problems);
    this.readiness?.rules(report.ok);
    // A failed load leaves the previous bank active: its series stay as they are.
    if (!report.ok) return;
    m.rulesLoaded.set(report.rules);
    m.bankBuildSeconds.set(report.buildSeconds);
    m.rulesVersion.reset();
    m.rulesVersion.set({ rules_version: report.version }, 1);
    this.replaceRules(report.ruleInfo as readonly ReportedRule[], report.version);
  }

  private replaceRules(reported: readonly ReportedRule[], version: string): void {
    const next = new Map<string, RuleMeta>();
    for (const rule of reported) next.set(rule.id, ruleMeta(rule));
    for (const [id, old] of this.rules) {
      const now = next.get(id);
      if (now === undefined || !sameMatchLabels(old, now)) {
        this.m.matches.removeWhere((l) => l.error_id === id);
      }
      for (const signal of SIGNALS) {
        if (old.signals.includes(signal) && !now?.signals.includes(signal)) {
          this.m.signalEvents[signal].removeWhere((l) => l.error_id === id);
        }
      }
    }
    this.rules = next;
    this.m.ruleInfo.reset();
    for (const r of next.values()) {
      this.m.matches.touch({ error_id: r.id, domain: r.domain, category: r.category, service: UNKNOWN_SERVICE });
      for (const signal of r.signals) this.m.signalEvents[signal].touch({ service: UNKNOWN_SERVICE, error_id: r.id });
      this.m.ruleInfo.set(
        {
          error_id: r.id,
          domain: r.domain,
          category: r.category,
          signals: r.signals.join(','),
          confidence: r.confidence,
          verification_tier: r.verificationTier,
          rules_version: version,
          root_cause: r.rootCause,
          workaround: r.workaround,
        },
        1,
      );
    }
  }

  rebalance(event: 'assigned' | 'revoked', partitions: number): void {
    this.m.rebalances.inc({ event });
    if (event === 'assigned') {
      this.m.assignedPartitions.set(partitions);
      if (this.joined) this.m.groupJoined.set(1);
    } else {
      // Lag of partitions this worker may no longer own would otherwise stay frozen, and a sum
      // over the group would count them twice once their new owner reports them.
      this.m.consumerLag.reset();
      this.m.groupJoined.set(0);
      this.m.assignedPartitions.set(0);
    }
    this.readiness?.rebalance(event);
  }

  groupJoined(): void {
    this.joined = true;
    this.m.groupJoined.set(1);
    this.readiness?.groupJoined();
  }

  consumerStopped(reason: string): void {
    this.joined = false;
    this.m.groupJoined.set(0);
    this.m.assignedPartitions.set(0);
    this.readiness?.consumerStopped(reason);
  }

  consumerProgress(): void {
    this.readiness?.consumerProgress();
  }

  commitFailed(_error: Error): void {
    this.m.commitFailures.inc();
  }

  brokerConnection(up: boolean): void {
    this.m.brokerUp.set(up ? 1 : 0);
    this.readiness?.brokerConnection(up);
  }

  /** One series per stalled partition, value 1; series of partitions no longer stalled go away. */
  partitionStalls(stalls: readonly UnreadableBatch[]): void {
    this.m.partitionStalled.reset();
    for (const s of stalls) {
      const reason = (STALL_REASONS as readonly string[]).includes(s.reason) ? s.reason : 'other';
      this.m.partitionStalled.set({ topic: s.topic, partition: String(s.partition), reason }, 1);
    }
    this.readiness?.partitionStalls(stalls);
  }

  private topicSeen(topic: string): void {
    if (this.topics.has(topic)) return;
    this.topics.add(topic);
    const m = this.m;
    for (const c of [m.consumed, m.consumedBytes, m.matched, m.unmatched]) c.touch({ topic });
    for (const reason of DEAD_LETTER_REASONS) m.deadLettered.touch({ topic, reason });
    for (const issue of DECODE_ISSUES) m.decodeIssues.touch({ topic, issue });
    m.batchLatency.zero({ topic });
  }
}

function known(values: readonly string[], value: string): string {
  return values.includes(value) ? value : 'other';
}

/** High watermark − last offset − 1, never negative; undefined when an offset is not a number. */
function lagOf(report: BatchReport): number | undefined {
  try {
    const lag = BigInt(report.highWatermark) - BigInt(report.lastOffset) - 1n;
    return lag > 0n ? Number(lag) : 0;
  } catch {
    return undefined;
  }
}
