// The demo's live display reads the worker's /metrics text: families summed over label sets.
import { describe, expect, it } from 'vitest';
import { countsLine, demoCounts, sumFamilies } from '../../demo/metrics-text.js';

const SCRAPE = `# HELP faultline_records_consumed_total Records consumed.
# TYPE faultline_records_consumed_total counter
faultline_records_consumed_total{topic="logs.app"} 1200
faultline_records_consumed_total{topic="logs.edge"} 34
faultline_records_matched_total{topic="logs.app"} 97
faultline_pool_starvation_events_total{service="checkout",error_id="java/hikaricp-connection-not-available"} 40
faultline_pool_starvation_events_total{service="payments",error_id="dotnet/adonet-pool-timeout-max-pool-size"} 2
faultline_socket_exhaustion_events_total{service="search",error_id="go/socket-too-many-open-files"} 30
faultline_batch_latency_seconds_bucket{topic="logs.app",le="+Inf"} 12
faultline_ready 1
`;

describe('demo metrics display', () => {
  it('sums each family over its label sets', () => {
    const sums = sumFamilies(SCRAPE);
    expect(sums.get('faultline_records_consumed_total')).toBe(1234);
    expect(sums.get('faultline_batch_latency_seconds_bucket')).toBe(12);
  });

  it('reads records in, matched, each signal and readiness; absent families count 0', () => {
    expect(demoCounts(SCRAPE)).toEqual({
      consumed: 1234,
      matched: 97,
      signals: { 'pool-starvation': 42, 'socket-exhaustion': 30, 'thread-starvation': 0 },
      ready: true,
    });
    expect(demoCounts('').ready).toBe(false);
  });

  it('prints one line with the increase since the last one', () => {
    const now = demoCounts(SCRAPE);
    const before = { ...now, consumed: 1000 };
    expect(countsLine(12.4, now, before)).toBe(
      '[  12s] records in 1234 (+234)  matched 97  | pool-starvation 42  socket-exhaustion 30  thread-starvation 0  | worker ready',
    );
  });
});
