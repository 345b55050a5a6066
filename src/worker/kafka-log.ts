import type { KafkaLog, KafkaLogLevel } from '../kafka/client.js';
import type { Logger } from '../log.js';
import { RateLimitedLog } from './rate-limited-log.js';

/**
 * Namespaces whose errors kafkajs retries by itself (a refused connection, a coordinator still
 * loading): the worker reports the outage once through its own lifecycle lines, so these go to
 * debug instead of repeating per attempt.
 */
const RETRIED_NAMESPACES: ReadonlySet<string> = new Set(['Connection', 'BrokerPool', 'Cluster']);

/**
 * Lines the worker reports itself (consumer crashes and restarts: one consumer-crash line each)
 * or answers by design (the sink replaces its producer after a failed send, so bounded retries
 * do not endanger idempotence).
 */
const COVERED_MESSAGES: readonly string[] = [
  'Crash: ',
  'Restarting the consumer',
  'The group is rebalancing, re-joining',
  'Limiting retries for the idempotent producer',
];

/** How much kafkajs should log, given the worker's level: its debug output is per request. */
export function kafkaVerbosity(logger: Logger): KafkaLogLevel {
  if (logger.isLevelEnabled('trace')) return 'debug';
  if (logger.isLevelEnabled('debug')) return 'info';
  return 'warn';
}

/**
 * Routes kafkajs' own log lines into the worker's pino logger: errors and warnings at most once
 * per message per window (with a count), everything else at debug.
 */
export function kafkaLogToPino(logger: Logger, windowMs = 10_000): KafkaLog {
  const child = logger.child({ component: 'kafkajs' });
  const limited = new RateLimitedLog<{ namespace: string; message: string; extra: Record<string, unknown> }>(({ count, sample }) => {
    child.warn({ namespace: sample.namespace, count, ...trim(sample.extra) }, sample.message);
  }, windowMs);
  return (level, namespace, message, extra) => {
    const quiet =
      level === 'info' ||
      level === 'debug' ||
      RETRIED_NAMESPACES.has(namespace) ||
      COVERED_MESSAGES.some((w) => message.startsWith(w));
    if (quiet) {
      if (child.isLevelEnabled('debug')) child.debug({ namespace, ...trim(extra) }, message);
      return;
    }
    limited.note(`${namespace}:${message}`, { namespace, message, extra });
  };
}

/** Stack traces and request payloads make single log lines huge; keep the useful fields. */
function trim(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) {
    if (k === 'stack' || k === 'payload' || k === 'data') continue;
    out[k] = typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v;
  }
  return out;
}
