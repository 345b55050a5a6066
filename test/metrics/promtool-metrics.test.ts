import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.js';
import { MetricsObserver } from '../../src/metrics/observer.js';
import { Readiness } from '../../src/http/readiness.js';
import { promtool, skipWithoutPromtool } from '../ops/promtool.js';
import { batch, record, rulesReport } from './fixtures.js';

describe('promtool check metrics', () => {
  it.skipIf(skipWithoutPromtool)('accepts the names, help and types of everything /metrics serves', async () => {
    const metrics = createMetrics();
    const observer = new MetricsObserver({
      metrics,
      readiness: new Readiness({ brokerDownGraceMs: 1000 }),
      serviceLabelLimit: 1,
      topics: ['logs.app'],
    });
    observer.rulesLoaded(rulesReport());
    observer.groupJoined();
    observer.rebalance('assigned', 2);
    observer.batch(
      batch({
        matched: [
          record('checkout', ['java/hikari-connection-timeout'], ['pool-starvation']),
          record('payments', ['linux/ephemeral-port-exhaustion'], ['socket-exhaustion']),
        ],
        deadLettered: { binary: 1 },
      }),
    );
    observer.commitFailed(new Error('x'));
    await metrics.registry.metrics();
    const text = await metrics.registry.metrics();
    expect(text).toContain('faultline_pool_starvation_events_total{service="checkout",error_id="java/hikari-connection-timeout"} 1');

    const r = promtool(['check', 'metrics'], text);
    expect(r.output.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
