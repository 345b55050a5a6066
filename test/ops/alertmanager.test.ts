// The shipped Alertmanager configuration (ops/alertmanager/alertmanager.yml): amtool accepts it,
// its routes send each kind of faultline alert where the file says, its inhibition rule names
// real worker alerts and covers every signal alert, and a real Alertmanager running it
// suppresses signal alerts while the worker is down.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { findAlertBinaries } from '../../demo/alert-binaries.js';
import { localAlertmanagerConfig } from '../../demo/alertmanager-config.js';
import { startChild, type Child } from '../../demo/child.js';
import { freePort } from '../../demo/free-port.js';
import { waitUntil } from '../support/kafka.js';
import { amtool, skipWithoutAmtool } from './amtool.js';
import { inCI } from './promtool.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = path.join(ROOT, 'ops/alertmanager/alertmanager.yml');
const shipped = parse(readFileSync(CONFIG, 'utf8')) as {
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[];
  receivers: { name: string; webhook_configs?: { send_resolved?: boolean }[] }[];
};

interface AlertRule {
  alert?: string;
  labels?: Record<string, string>;
}
const alertGroups = (parse(readFileSync(path.join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] }).groups;
const alerts = alertGroups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));

/** The receiver amtool routes a label set to. */
function routeOf(labels: Record<string, string>): string {
  const r = amtool(['config', 'routes', 'test', `--config.file=${CONFIG}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  expect(r.status, r.output).toBe(0);
  return r.output
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('Warning'))
    .join(',');
}

describe.skipIf(skipWithoutAmtool)('ops/alertmanager/alertmanager.yml', () => {
  it('passes amtool check-config', () => {
    const r = amtool(['check-config', CONFIG]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('routes signal alerts by service, unclaimed services to service-owners, worker alerts to faultline-operators', () => {
    for (const rule of alerts) {
      const labels = { alertname: rule.alert as string, ...rule.labels };
      if (rule.labels?.signal !== undefined) {
        expect(routeOf({ ...labels, service: 'checkout', error_id: 'java/x' }), rule.alert).toBe('team-payments');
        expect(routeOf({ ...labels, service: 'search', error_id: 'go/x' }), rule.alert).toBe('team-shop');
        expect(routeOf({ ...labels, service: 'edge-proxy', error_id: 'linux/x' }), rule.alert).toBe('team-platform');
        expect(routeOf({ ...labels, service: 'unknown', error_id: 'java/x' }), rule.alert).toBe('service-owners');
      } else {
        expect(rule.labels?.component, `${rule.alert} is a signal or a worker alert`).toBe('faultline');
        expect(routeOf({ ...labels, instance: '10.0.0.7:9464', service: 'checkout' }), rule.alert).toBe('faultline-operators');
      }
    }
  });

  it('sends resolved notifications from every receiver', () => {
    for (const r of shipped.receivers) {
      expect(r.webhook_configs?.length, r.name).toBeGreaterThan(0);
      for (const w of r.webhook_configs ?? []) expect(w.send_resolved, r.name).toBe(true);
    }
  });

  it('inhibits every signal alert while a worker alert that means "blind" fires, and names only real alerts', () => {
    expect(shipped.inhibit_rules).toHaveLength(1);
    const rule = shipped.inhibit_rules[0]!;
    const names = /^alertname=~"(.*)"$/.exec(rule.source_matchers[0] ?? '')?.[1]?.split('|') ?? [];
    expect(names).toEqual(expect.arrayContaining(['FaultlineWorkerDown', 'FaultlineNotReady']));
    for (const name of names) expect(alerts.find((a) => a.alert === name)?.labels?.component, name).toBe('faultline');
    expect(rule.target_matchers).toEqual(['signal=~".+"']);
    expect(alerts.filter((a) => a.labels?.signal !== undefined).length).toBeGreaterThanOrEqual(3);
  });
});

const binaries = findAlertBinaries();
describe.skipIf(binaries === undefined && !inCI)('the shipped Alertmanager configuration in a real Alertmanager', () => {
  let dir = '';
  let server: Child | undefined;
  afterAll(async () => {
    await server?.stop(10_000);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('suppresses a signal alert while FaultlineWorkerDown fires, and not otherwise', async () => {
    if (binaries === undefined) throw new Error('prometheus/alertmanager not on PATH but CI=true: run scripts/ci/install-system-deps.sh');
    dir = mkdtempSync(path.join(tmpdir(), 'faultline-am-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Receivers point at a closed port: nothing here is about delivery.
    const config = localAlertmanagerConfig(parse(readFileSync(CONFIG, 'utf8')), `http://127.0.0.1:9`, { group_wait: '1h', group_interval: '1h', repeat_interval: '4h' });
    writeFileSync(path.join(dir, 'alertmanager.yml'), stringify(config));
    server = startChild(
      'alertmanager',
      binaries.alertmanager,
      [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      process.env,
      path.join(dir, 'alertmanager.log'),
      dir,
    );
    const am = server;
    await waitUntil(async () => !am.running() || (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)), { timeoutMs: 30_000, what: 'alertmanager ready' });
    expect(am.running(), am.logTail()).toBe(true);

    const post = (alertsToPost: object[]) =>
      fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alertsToPost) }).then((r) => expect(r.status).toBe(200));
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const signalAlert = (service: string) => ({
      labels: { alertname: 'FaultlinePoolStarvationSpike', severity: 'critical', signal: 'pool-starvation', service, error_id: 'java/hikaricp-connection-timeout' },
      annotations: { summary: 'x' },
      endsAt,
    });
    type State = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    const states = async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as State[];
    const stateOf = async (service: string) => (await states()).find((a) => a.labels.service === service)?.status;

    await post([signalAlert('checkout')]);
    const before = await waitUntil(() => stateOf('checkout'), { timeoutMs: 10_000, what: 'the signal alert listed' });
    expect(before.state).toBe('active');

    await post([{ labels: { alertname: 'FaultlineWorkerDown', severity: 'warning', component: 'faultline', instance: '127.0.0.1:9464' }, annotations: {}, endsAt }, signalAlert('payments')]);
    const during = await waitUntil(
      async () => {
        const s = await stateOf('payments');
        return s?.state === 'suppressed' && (await stateOf('checkout'))?.state === 'suppressed' ? s : undefined;
      },
      { timeoutMs: 20_000, what: 'signal alerts suppressed while the worker is down' },
    );
    expect(during.inhibitedBy.length).toBe(1);
    const down = (await states()).find((a) => a.labels.alertname === 'FaultlineWorkerDown');
    expect(down?.status.state).toBe('active');
  }, 60_000);
});
