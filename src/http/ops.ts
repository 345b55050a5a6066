import type { Registry } from 'prom-client';
import { MetricsObserver } from '../metrics/observer.js';
import { createMetrics } from '../metrics/registry.js';
import { LoopLagMonitor } from './loop-lag.js';
import { Readiness } from './readiness.js';
import { startOpsServer, type OpsServer } from './server.js';
import { UnknownErrors } from '../templates/unknown-errors.js';
import { registerUnknownErrorMetrics } from '../metrics/unknown-errors.js';

/** /templates: the live templates of unknown errors, most frequent first. */
function templatesBody(table: UnknownErrors): unknown {
  return { templates: table.list(500), live: table.size, records: table.records, evicted: table.evictions };
}

/**
 * Everything operational a worker needs, wired once: its own metrics registry, the observer that
 * feeds it and readiness, the event-loop monitor and the HTTP server. The worker passes
 * `observer` to the pipeline and calls `close()` last on shutdown (after the consumer has left
 * its group), so that the final scrape can still see the shutdown.
 */

export interface OpsOptions {
  host: string;
  port: number;
  serviceLabelLimit: number;
  /** Broker unreachable longer than this: not ready (config readyBrokerDownMs). */
  brokerDownGraceMs: number;
  /** A member with no fetch, heartbeat or commit answered this long: not ready (config readyStallMs). */
  stallMs?: number;
  /** The consumer's session timeout, quoted by /readyz during a rejoin wait. */
  sessionTimeoutMs?: number;
  /** Event-loop lag above this: unhealthy (config healthMaxLoopLagMs). */
  maxLoopLagMs: number;
  /** Plain (non-pattern) input topics, e.g. parseTopicSpec(config.inputTopics).names: their series exist before the first batch. */
  topics?: readonly string[];
  onError?: (error: unknown) => void;
  /** Mine templates of unmatched errors: the table, /templates and its metrics (absent: off). */
  unknownTemplatesMax?: number;
}

export interface Ops {
  observer: MetricsObserver;
  registry: Registry;
  readiness: Readiness;
  server: OpsServer;
  /** The unknown-error table the matching core feeds, when on. */
  unknownErrors?: UnknownErrors;
  close(graceMs?: number): Promise<void>;
}

export async function startOps(options: OpsOptions): Promise<Ops> {
  const metrics = createMetrics();
  const readiness = new Readiness({
    brokerDownGraceMs: options.brokerDownGraceMs,
    ...(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  });
  const observer = new MetricsObserver({
    metrics,
    readiness,
    serviceLabelLimit: options.serviceLabelLimit,
    ...(options.topics ? { topics: options.topics } : {}),
  });
  const unknownErrors =
    options.unknownTemplatesMax === undefined
      ? undefined
      : new UnknownErrors({ maxTemplates: options.unknownTemplatesMax, serviceKey: (s) => observer.serviceLabel(s) });
  if (unknownErrors !== undefined) registerUnknownErrorMetrics(metrics.registry, unknownErrors);
  const loop = new LoopLagMonitor({ maxLagMs: options.maxLoopLagMs });
  loop.start();
  let server: OpsServer;
  try {
    server = await startOpsServer({
      host: options.host,
      port: options.port,
      registry: metrics.registry,
      readiness: () => readiness.status(),
      health: () => loop.status(),
      ...(unknownErrors ? { templates: () => templatesBody(unknownErrors) } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  } catch (error) {
    loop.stop();
    throw error;
  }
  return {
    observer,
    registry: metrics.registry,
    readiness,
    server,
    ...(unknownErrors ? { unknownErrors } : {}),
    async close(graceMs?: number) {
      loop.stop();
      await server.close(graceMs);
    },
  };
}

