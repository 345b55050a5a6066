/**
 * A Prometheus and an Alertmanager of their own, for the demo and the paging test: free ports on
 * 127.0.0.1, a temporary folder for their data and logs, the shipped alert rules
 * (ops/prometheus/alerts.yml, copied unchanged) and an Alertmanager configuration given by the
 * caller. stop() ends both and removes the folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AlertBinaries } from './alert-binaries.js';
import { startChild, type Child } from './child.js';
import { freePort } from './free-port.js';

export interface AlertStackOptions {
  binaries: AlertBinaries;
  /** The repository root: ops/prometheus/alerts.yml is read from there. */
  root: string;
  /** host:port of each faultline worker's /metrics, scraped as job "faultline". */
  targets: string[];
  /** Scrape and rule evaluation interval, e.g. "1s". */
  interval: string;
  /** An Alertmanager configuration (see alertmanager-config.ts). */
  alertmanagerConfig: object;
}

export interface AlertStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  dir: string;
  children: readonly Child[];
  /** Both answer /-/ready (throws with their last log lines if one exits or never does). */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  logs(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startAlertStack(options: AlertStackOptions): Promise<AlertStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-alerting-'));
  const children: Child[] = [];
  const stop = async () => {
    for (const c of children) await c.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  let promPort = 0;
  let amPort = 0;
  try {
    promPort = await freePort();
    do amPort = await freePort();
    while (amPort === promPort);
    const amDir = path.join(dir, 'alertmanager');
    const promDir = path.join(dir, 'prometheus');
    mkdirSync(amDir);
    mkdirSync(promDir);
    writeFileSync(path.join(amDir, 'alertmanager.yml'), stringify(options.alertmanagerConfig));
    copyFileSync(path.join(options.root, 'ops/prometheus/alerts.yml'), path.join(promDir, 'alerts.yml'));
    writeFileSync(
      path.join(promDir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: options.interval, evaluation_interval: options.interval, scrape_timeout: options.interval },
        rule_files: ['alerts.yml'],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [{ job_name: 'faultline', static_configs: [{ targets: options.targets }] }],
      }),
    );
    children.push(
      startChild(
        'alertmanager',
        options.binaries.alertmanager,
        [
          `--config.file=${path.join(amDir, 'alertmanager.yml')}`,
          `--storage.path=${path.join(amDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          // No gossip cluster: its default port (9094) is fixed, and one instance needs none.
          '--cluster.listen-address=',
        ],
        process.env,
        path.join(dir, 'alertmanager.log'),
        amDir,
      ),
    );
    children.push(
      startChild(
        'prometheus',
        options.binaries.prometheus,
        [
          `--config.file=${path.join(promDir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(promDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        process.env,
        path.join(dir, 'prometheus.log'),
        promDir,
      ),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const urls = [`http://127.0.0.1:${amPort}`, `http://127.0.0.1:${promPort}`];
  const logs = () => children.map((c) => `--- ${c.name} (${c.logFile})\n${c.logTail(30)}`).join('\n');
  return {
    alertmanagerUrl: urls[0] as string,
    prometheusUrl: urls[1] as string,
    dir,
    children,
    logs,
    stop,
    ready: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (const [i, c] of children.entries()) {
        for (;;) {
          if (!c.running()) throw new Error(`${c.name} exited:\n${logs()}`);
          const ok = await fetch(`${urls[i]}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) break;
          if (Date.now() > deadline) throw new Error(`${c.name} not ready after ${timeoutMs} ms:\n${logs()}`);
          await sleep(250);
        }
      }
    },
  };
}
