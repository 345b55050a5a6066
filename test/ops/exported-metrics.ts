import { createMetrics } from '../../src/metrics/registry.js';
import { MetricsObserver } from '../../src/metrics/observer.js';
import { Readiness } from '../../src/http/readiness.js';
import { parseExposition } from '../metrics/exposition.js';
import { batch, record, rulesReport } from '../metrics/fixtures.js';

/** Series Prometheus itself attaches to every target. */
const PROMETHEUS_SYNTHETIC = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/**
 * Every series name a worker exports (histogram _bucket/_sum/_count included), from a registry
 * that has seen a rules load and a batch, so label-only families have series too.
 */
export async function exportedSeriesNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  const observer = new MetricsObserver({ metrics, readiness: new Readiness({ brokerDownGraceMs: 1 }), serviceLabelLimit: 1 });
  observer.rulesLoaded(rulesReport());
  observer.groupJoined();
  observer.rebalance('assigned', 1);
  observer.brokerConnection(true);
  observer.batch(
    batch({
      matched: [
        record('a', ['java/hikari-connection-timeout'], ['pool-starvation']),
        record('b', ['linux/ephemeral-port-exhaustion'], ['socket-exhaustion']),
        record('c', ['java/rejected-execution'], ['thread-starvation']),
      ],
      deadLettered: { binary: 1 },
      decodeIssues: { 'invalid-json': 1 },
    }),
  );
  observer.commitFailed(new Error('x'));
  observer.partitionStalls([{ topic: 'logs', partition: 0, offset: '7', reason: 'corrupt_batch', error: 'x' }]);
  const names = new Set(parseExposition(await metrics.registry.metrics()).samples.map((s) => s.name));
  for (const n of PROMETHEUS_SYNTHETIC) names.add(n);
  return names;
}
