import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { promtool, skipWithoutPromtool } from './promtool.js';
import { metricNames } from './promql-names.js';
import { exportedSeriesNames } from './exported-metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALERTS = `${root}ops/prometheus/alerts.yml`;
const ALERT_TESTS = `${root}ops/prometheus/alerts.test.yml`;
const RUNBOOK = `${root}docs/runbook.md`;

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function alertRules(): AlertRule[] {
  const doc = parse(readFileSync(ALERTS, 'utf8')) as { groups: Array<{ rules: AlertRule[] }> };
  return doc.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    out.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return out;
}

describe('ops/prometheus/alerts.yml', () => {
  it.skipIf(skipWithoutPromtool)('passes promtool check rules', () => {
    const r = promtool(['check', 'rules', ALERTS]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.skipIf(skipWithoutPromtool)('passes its promtool unit tests (alerts.test.yml)', () => {
    const r = promtool(['test', 'rules', ALERT_TESTS]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('has unit tests that show every alert firing and every alert quiet', () => {
    const tests = parse(readFileSync(ALERT_TESTS, 'utf8')) as {
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
    };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const { alert } of alertRules()) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(mine.some((c) => (c.exp_alerts ?? []).length > 0), `${alert} fires in a test`).toBe(true);
      expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${alert} stays quiet in a test`).toBe(true);
    }
  });

  it('links every alert to its own section of docs/runbook.md and gives it a severity and summary', () => {
    const sections = anchors(readFileSync(RUNBOOK, 'utf8'));
    for (const rule of alertRules()) {
      const anchor = rule.alert.toLowerCase();
      expect(rule.annotations?.runbook_url).toBe(`docs/runbook.md#${anchor}`);
      expect(sections.has(anchor), `runbook section for ${rule.alert}`).toBe(true);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
    }
  });

  it('reads only metrics that the worker exports', async () => {
    const exported = await exportedSeriesNames();
    const used = new Set<string>();
    for (const rule of alertRules()) {
      for (const n of metricNames(rule.expr)) used.add(n);
      // Query templates in annotations: {{ with printf "metric{…}" … | query }}.
      for (const text of Object.values(rule.annotations ?? {})) {
        for (const m of text.matchAll(/printf\s+"([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) used.add(m[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
    for (const n of ['faultline_pool_starvation_events_total', 'faultline_socket_exhaustion_events_total', 'faultline_rule_info', 'up']) {
      expect(used.has(n), n).toBe(true);
    }
  });
});
