import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { promtool, skipWithoutPromtool } from './promtool.js';
import { grafanaToPromql, grafanaVariableMetrics, metricNames } from './promql-names.js';
import { exportedSeriesNames } from './exported-metrics.js';
import { dashboardSchemaErrors } from './dashboard-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DASHBOARD = `${root}ops/grafana/faultline-dashboard.json`;

interface Target {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = panels.filter((p) => p.type !== 'row');
const targets = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));
const variables = dashboard.templating.list;
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : v.query.query);

describe('ops/grafana/faultline-dashboard.json', () => {
  it('is a provisionable dashboard with a data source variable and service/error_id variables', () => {
    expect(dashboard.uid).toBe('faultline-overview');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ds = variables.find((v) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['service', 'error_id']) expect(variables.find((v) => v.name === name)?.type).toBe('query');
    for (const p of queryPanels) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, p.title).toBe(refIds.length);
    }
  });

  it("conforms to Grafana's published dashboard schema (@grafana/schema)", () => {
    expect(dashboardSchemaErrors(readFileSync(DASHBOARD, 'utf8'))).toEqual([]);
  }, 60_000);

  it('the schema check rejects an unknown field and a wrong value type', () => {
    const unknownField = dashboardSchemaErrors(JSON.stringify({ ...dashboard, refreshEvery: '10s' })).join('\n');
    expect(unknownField).toMatch(/'"?refreshEvery"?' does not exist/);
    const wrongType = dashboardSchemaErrors(JSON.stringify({ ...dashboard, graphTooltip: 'shared' })).join('\n');
    expect(wrongType).toMatch(/not assignable to type 'DashboardCursorSync/);
  }, 60_000);

  it('has unique panel ids and a layout without overlaps', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const cell = `${i},${j}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it('shows what an SRE needs: signals by service and error id, top errors with root cause, pipeline and reload state', () => {
    const exprs = targets.map((t) => t.target.expr);
    const has = (re: RegExp) => exprs.some((e) => re.test(e));
    expect(has(/sum by \(service\) \(rate\(faultline_pool_starvation_events_total/)).toBe(true);
    expect(has(/sum by \(error_id\) \(rate\(faultline_pool_starvation_events_total/)).toBe(true);
    expect(has(/sum by \(service\) \(rate\(faultline_socket_exhaustion_events_total/)).toBe(true);
    expect(has(/sum by \(error_id\) \(rate\(faultline_socket_exhaustion_events_total/)).toBe(true);
    expect(has(/faultline_matches_total.*group_left \([^)]*root_cause[^)]*\).*faultline_rule_info/s)).toBe(true);
    expect(has(/histogram_quantile\(0\.99, sum by \(le\) \(rate\(faultline_batch_latency_seconds_bucket/)).toBe(true);
    for (const m of ['faultline_records_consumed_total', 'faultline_consumer_lag', 'faultline_records_dead_lettered_total', 'faultline_rules_last_reload_success']) {
      expect(has(new RegExp(m)), m).toBe(true);
    }
    // Signal panels honour the service and error_id variables.
    for (const e of exprs.filter((x) => /_events_total/.test(x))) expect(e).toMatch(/service=~"\$service", error_id=~"\$error_id"/);
  });

  it('queries only metrics that the worker exports', async () => {
    const exported = await exportedSeriesNames();
    const used = new Set<string>();
    for (const { target } of targets) for (const n of metricNames(target.expr)) used.add(n);
    for (const v of variables.filter((x) => x.type === 'query')) for (const n of grafanaVariableMetrics(variableQuery(v))) used.add(n);
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });

  it.skipIf(skipWithoutPromtool)('has queries that Prometheus parses (promtool check rules on them)', () => {
    const rules = targets.map(({ panel, target }) => ({
      record: `dashboard_check:panel_${panel.id}_${target.refId}`,
      expr: grafanaToPromql(target.expr),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-'));
    try {
      const file = join(dir, 'dashboard-queries.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const r = promtool(['check', 'rules', file]);
      expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ops/grafana/provisioning', () => {
  it('provisions a Prometheus data source and a file provider for the dashboards', () => {
    const ds = parse(readFileSync(`${root}ops/grafana/provisioning/datasources/prometheus.yml`, 'utf8')) as {
      apiVersion: number;
      datasources: Array<{ type: string; url: string }>;
    };
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus' });
    const dash = parse(readFileSync(`${root}ops/grafana/provisioning/dashboards/faultline.yml`, 'utf8')) as {
      apiVersion: number;
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(dash.apiVersion).toBe(1);
    expect(dash.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards/faultline' } });
  });
});
