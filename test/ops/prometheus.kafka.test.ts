// End to end: a real Prometheus server scrapes a worker while records flow through the real broker,
// and its HTTP API returns the pool-starvation count faultline tagged.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardTargets, resolveDashboardVariables } from './dashboard-targets.js';
import { kcatProduce, waitUntil } from '../support/kafka.js';
import type { WorkerHandle } from '../../src/cli/worker.js';
import type { Ops } from '../../src/http/ops.js';
import { inCI } from './promtool.js';
import { startOpsWorker } from './support/ops-worker.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const prometheusInstalled = await new Promise<boolean>((resolve) => {
  const p = spawn('prometheus', ['--version'], { stdio: 'ignore' });
  p.on('error', () => resolve(false));
  p.on('exit', (code) => resolve(code === 0));
});
const skip = !prometheusInstalled && !inCI;
if (skip) console.warn('prometheus not found: skipping the end-to-end scrape test (apt-get install prometheus)');

const POOL_STARVATION =
  "Npgsql.NpgsqlException (0x80004005): The connection pool has been exhausted, either raise 'Max Pool Size' (currently 100) or 'Timeout' (currently 15 seconds) in your connection string.";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface PromVector {
  status: string;
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function query(base: string, promql: string): Promise<PromVector['data']['result']> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as PromVector;
  if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

async function scalar(base: string, promql: string): Promise<number | undefined> {
  const [first] = await query(base, promql);
  return first === undefined ? undefined : Number(first.value[1]);
}

describe.skipIf(skip)('Prometheus scraping a worker', () => {
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let ops: Ops | undefined;
  let worker: WorkerHandle | undefined;
  let promUrl: string;
  let input: string;

  beforeAll(async () => {
    if (!prometheusInstalled) throw new Error('prometheus is not on PATH but CI=true: install the prometheus package');
    dir = mkdtempSync(join(tmpdir(), 'faultline-prometheus-'));
    const started = await startOpsWorker('ops-e2e');
    ({ input, ops, worker } = started);

    // Prometheus loads the shipped alerting rules too: the real server must accept them.
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'alerts.yml'), readFileSync(`${ROOT}ops/prometheus/alerts.yml`, 'utf8'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
        rule_files: ['alerts.yml'],
        scrape_configs: [{ job_name: 'faultline', static_configs: [{ targets: [`127.0.0.1:${started.ops.server.port}`] }] }],
      }),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.setEncoding('utf8').on('data', (d: string) => (prometheusLog = (prometheusLog + d).slice(-20_000)));
    const server = prometheus;
    const state = await waitUntil(
      async () => (server.exitCode !== null ? 'exited' : (await fetch(`${promUrl}/-/ready`)).ok && 'ready'),
      { timeoutMs: 30_000, what: 'prometheus ready' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${prometheusLog}`);
    });
    if (state !== 'ready') throw new Error(`prometheus exited:\n${prometheusLog}`);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('test done').catch(() => undefined);
    await ops?.close();
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('counts pool starvation per service, and rate() sees the first events of a new series', async () => {
    await waitUntil(async () => (await scalar(promUrl, 'up{job="faultline"}')) === 1, { timeoutMs: 30_000, what: 'the worker scraped' });
    await waitUntil(async () => (await scalar(promUrl, 'faultline_ready')) === 1, { timeoutMs: 30_000, what: 'faultline_ready 1' });
    // Rule series exist before any record: the KB's pool-starvation rules at 0 with service="unknown".
    expect(await scalar(promUrl, 'sum(faultline_pool_starvation_events_total{service="unknown"})')).toBe(0);

    const starving = Array.from({ length: 7 }, (_, i) => JSON.stringify({ service: 'checkout', level: 'error', message: `${POOL_STARVATION} #${i}` }));
    const healthy = Array.from({ length: 5 }, (_, i) => JSON.stringify({ service: 'checkout', level: 'info', message: `order ${i} placed` }));
    await kcatProduce(input, [...starving, ...healthy]);

    const total = await waitUntil(
      async () => {
        const v = await scalar(promUrl, 'sum(faultline_pool_starvation_events_total{service="checkout", error_id="dotnet/npgsql-connection-pool-exhausted"})');
        return v === 7 ? v : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'Prometheus to see 7 pool-starvation events for checkout' },
    );
    expect(total).toBe(7);
    expect(await scalar(promUrl, `sum(faultline_records_consumed_total{topic="${input}"})`)).toBe(12);
    expect(await scalar(promUrl, 'sum by (error_id) (faultline_matches_total{service="checkout"}) > 0')).toBe(7);
    // The series was scraped at 0 before its first events, so increase() counts all of them
    // (extrapolation can only add to that).
    expect(await scalar(promUrl, 'sum(increase(faultline_pool_starvation_events_total{service="checkout"}[5m]))')).toBeGreaterThanOrEqual(7);
    const info = await query(promUrl, 'faultline_rule_info{error_id="dotnet/npgsql-connection-pool-exhausted"}');
    expect(info).toHaveLength(1);
    expect(info[0]?.metric.signals).toContain('pool-starvation');
  }, 120_000);
  // Every panel of the shipped dashboard, its variables resolved as Grafana's "All" does, against
  // the scraped worker. Series that exist only after their first event (dead letters, decode
  // issues) are given one here, as a production stream would.
  it('answers every dashboard panel query with data', async () => {
    const lines = [
      JSON.stringify({ service: 'payments', level: 'error', message: 'dial tcp 10.0.0.7:5432: connect: cannot assign requested address' }),
      JSON.stringify({ service: 'search', level: 'warning', message: '[13-Jan-2020 02:36:45] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it' }),
      '{"service": "checkout", "message": "half a record',
      String.fromCharCode(1, 2, 3, 4, 5, 6, 7, 8).repeat(64),
    ];
    await waitUntil(async () => (await scalar(promUrl, 'faultline_ready')) === 1, { timeoutMs: 30_000, what: 'faultline_ready 1' });
    const consumed = async () => (await scalar(promUrl, `sum(faultline_records_consumed_total{topic="${input}"})`)) ?? 0;
    const before = await consumed();
    await kcatProduce(input, lines);
    await waitUntil(async () => (await consumed()) === before + lines.length, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the new records consumed and scraped',
    });
    const job = await query(promUrl, 'group by (job) (faultline_rules_loaded)');
    expect(job.map((r) => r.metric.job)).toEqual(['faultline']);
    // Scraped every second: Grafana's $__rate_interval would be 4 scrapes at least.
    const targets = dashboardTargets();
    expect(targets.length).toBeGreaterThan(30);
    const empty = await waitUntil(
      async () => {
        const missing: string[] = [];
        for (const t of targets) {
          const promql = resolveDashboardVariables(t.expr, { rateInterval: '15s', range: '5m' });
          if ((await query(promUrl, promql)).length === 0) missing.push(`${t.panel} [${t.refId}]: ${promql}`);
        }
        return missing.length === 0 ? [] : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2000, what: 'every dashboard panel to return data' },
    ).catch(async (err: Error) => {
      const missing: string[] = [];
      for (const t of targets) {
        const promql = resolveDashboardVariables(t.expr, { rateInterval: '15s', range: '5m' });
        if ((await query(promUrl, promql)).length === 0) missing.push(`${t.panel} [${t.refId}]`);
      }
      throw new Error(`${err.message}: no data for\n${missing.join('\n')}`);
    });
    expect(empty).toEqual([]);
    expect(await scalar(promUrl, 'sum(faultline_records_dead_lettered_total{reason="binary"})')).toBe(1);
  }, 180_000);
});
