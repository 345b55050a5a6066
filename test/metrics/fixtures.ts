import type { BatchReport, MatchedRecord, RulesReport } from '../../src/pipeline/observer.js';
import type { ReportedRule } from '../../src/metrics/rule-catalog.js';

/** A small KB as the worker reports it: two pool-starvation rules, one each of the others, one without signal. */
export const RULES: ReportedRule[] = [
  {
    id: 'linux/ephemeral-port-exhaustion',
    domain: 'linux',
    category: 'network',
    signals: ['socket-exhaustion'],
    confidence: 0.9,
    verificationTier: 'verified',
    rootCause: 'All ephemeral ports are in TIME_WAIT or in use.',
    bestWorkaround: { action: 'Reuse connections (keep-alive) instead of opening one per request.' },
  },
  {
    id: 'java/hikari-connection-timeout',
    domain: 'java',
    category: 'database',
    signals: ['pool-starvation'],
    confidence: 0.95,
    verificationTier: 'verified',
    rootCause: 'No connection became free in the Hikari pool within connectionTimeout.',
    bestWorkaround: { action: 'Find the code path holding connections (leakDetectionThreshold), then size the pool.' },
  },
  {
    id: 'dotnet/httpclient-pool-exhausted',
    domain: 'dotnet',
    category: 'http',
    signals: ['pool-starvation', 'socket-exhaustion'],
  },
  { id: 'java/rejected-execution', domain: 'java', category: 'concurrency', signals: ['thread-starvation'] },
  { id: 'generic/read-timeout', domain: 'generic', category: 'network', signals: [] },
];

export function rulesReport(rules: ReportedRule[] = RULES, over: Partial<RulesReport> = {}): RulesReport {
  return { ok: true, rules: rules.length, problems: 0, buildSeconds: 0.25, version: 'v1abc', ruleInfo: rules, ...over };
}

export function batch(over: Partial<BatchReport> & { matched?: MatchedRecord[] } = {}): BatchReport {
  const matched = over.matched ?? [];
  return {
    topic: 'logs.app',
    partition: 0,
    records: matched.length + (over.unmatched ?? 0),
    bytes: 1000,
    unmatched: 0,
    deadLettered: {},
    decodeIssues: {},
    latencySeconds: 0.02,
    lastOffset: '99',
    highWatermark: '100',
    ...over,
    matched,
  };
}

export function record(service: string | undefined, ruleIds: string[], signals: MatchedRecord['signals']): MatchedRecord {
  return service === undefined ? { ruleIds, signals } : { ruleIds, signals, service };
}
