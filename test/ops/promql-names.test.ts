import { describe, expect, it } from 'vitest';
import { grafanaToPromql, grafanaVariableMetrics, metricNames } from './promql-names.js';

describe('metricNames', () => {
  it('finds metric names and ignores functions, aggregations, keywords, labels and durations', () => {
    expect(
      metricNames(
        'sum by (service, error_id) (rate(faultline_pool_starvation_events_total{service=~"$service", error_id="a{b}"}[5m] offset 1h)) > 3 * (sum without (instance) (x_total) or on (job) group_left (root_cause) vector(0)) and bool up',
      ),
    ).toEqual(['faultline_pool_starvation_events_total', 'up', 'x_total']);
  });

  it('handles aggregation clauses after the body, subqueries, numbers and Grafana variables', () => {
    expect(metricNames('sum(rate(a_total[$__rate_interval])) by (le) / 1e3 + 0.5 - deriv(sum by (t) (b)[15m:1m])')).toEqual(['a_total', 'b']);
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(h_bucket{job=~"${job}"}[5m])))')).toEqual(['h_bucket']);
    expect(metricNames('topk by (error_id) (1, faultline_rule_info) * on(error_id) group_left c')).toEqual(['c', 'faultline_rule_info']);
    expect(metricNames('time() - max(ts_seconds)')).toEqual(['ts_seconds']);
    expect(metricNames('count(up == 0 unless inf)')).toEqual(['up']);
    expect(metricNames('{__name__="x"}')).toEqual([]);
  });
});

describe('grafana helpers', () => {
  it('reads the metric of label_values queries', () => {
    expect(grafanaVariableMetrics('label_values(faultline_matches_total{job=~"$job"}, service)')).toEqual(['faultline_matches_total']);
    expect(grafanaVariableMetrics('label_values(job)')).toEqual([]);
    expect(grafanaVariableMetrics('query_result(topk(5, m_total))')).toEqual(['m_total']);
  });

  it('turns Grafana variables into parseable PromQL', () => {
    expect(grafanaToPromql('rate(x{service=~"$service", job=~"${job}"}[$__rate_interval])')).toBe('rate(x{service=~".*", job=~".*"}[5m])');
  });
});
