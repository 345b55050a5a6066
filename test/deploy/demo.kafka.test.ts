// `npm run demo` end to end: a broker of its own (scripts/kafka on a free port, as on a fresh
// machine), the built worker and the demo producer; the live counts it prints reach every
// signal; tagged events show cause and fix; the pool-starvation alert goes pending, fires and is
// sent by Alertmanager (when Prometheus and Alertmanager are installed); Ctrl-C stops the producer, the worker (exit 0) and the broker it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBroker, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { KAFKA_SCRIPT } from '../support/kafka-script.js';
import { findAlertBinaries } from '../../demo/alert-binaries.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that is free, with the next one free too (the local broker's controller). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 30_000 + Math.floor(Math.random() * 9_000) * 2;
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error('no free port pair');
}

function kafkaScript(args: string[], port: number) {
  return spawnSync('bash', [KAFKA_SCRIPT, ...args], { env: { ...process.env, KAFKA_PORT: String(port) }, encoding: 'utf8', timeout: 120_000 });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', () => {
  let demo: ChildProcess | undefined;
  let ownPort: number | undefined;

  afterAll(async () => {
    // A test that failed midway leaves the demo running: Ctrl-C first, so that it stops the
    // Prometheus, Alertmanager, worker and producer it started (SIGKILL would orphan them).
    const child = demo;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    // The broker's run dir (data, logs) on the port this test picked.
    if (ownPort !== undefined) kafkaScript(['clean'], ownPort);
  });

  it('shows counts of every signal and stops everything it started on Ctrl-C', async () => {
    // Its own broker when this machine runs scripts/kafka (Java); else the suite's broker.
    const own = kafkaBroker().source === 'script';
    const kafkaArgs = own ? ['--kafka-port', String((ownPort = await freePortPair()))] : ['--brokers', kafkaBroker().brokers.join(',')];
    const topic = uniqueTopicName('logs.demo');
    const args = [
      '--import',
      'tsx',
      'demo/run.ts',
      ...kafkaArgs,
      '--topic',
      topic,
      '--input-topics',
      topic,
      '--group',
      uniqueTopicName('demo-group'),
      '--metrics-port',
      String(await freePortPair()),
      '--burst-every',
      '3',
      '--interval',
      '1',
      // A bound in case the test dies; it stops the demo itself long before.
      '--duration',
      '600',
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, KAFKA_BROKERS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo = child;
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));

    // Waits for the demo's output to show something; fails at once, with the output, if it exits.
    const showing = async (cond: () => boolean, timeoutMs: number, what: string) => {
      const ended = exited.then((how) => {
        throw new Error(`the demo exited (${how}) before showing ${what}`);
      });
      await Promise.race([waitUntil(cond, { timeoutMs, intervalMs: 500, what }), ended]).catch((err: Error) => {
        throw new Error(`${err.message}\n--- demo output ---\n${out}`);
      });
    };
    const counted = (signal: string) => [...out.matchAll(new RegExp(`${signal} (\\d+)`, 'g'))].some((m) => Number(m[1]) > 0);
    await showing(() => counted('pool-starvation') && counted('socket-exhaustion') && counted('thread-starvation'), 180_000, 'every signal counted');
    expect(out).toMatch(/records in [1-9]\d*/);
    expect(out).toContain('worker ready');
    // What the product is for: each tagged event on one line, with the rule's cause and fix.
    await showing(() => /^event {2}\d\d:\d\d:\d\d {2}\S+ +\S+\/\S+ {2}cause: \S.* {2}fix: \S/m.test(out), 120_000, 'a tagged event with cause and fix');

    // The alert state, from the demo's own Prometheus and Alertmanager with the shipped rules:
    // the pool-starvation spike goes pending, then fires (`for: 2m`), and Alertmanager sends it.
    if (findAlertBinaries() !== undefined) {
      const seen = (re: RegExp) => re.test(out);
      await showing(
        () => seen(/^alert {2}PENDING FaultlinePoolStarvationSpike /m) && seen(/^alert {2}FIRING {2}FaultlinePoolStarvationSpike /m),
        360_000,
        'the pool-starvation alert pending, then firing',
      );
      expect(out.indexOf('PENDING FaultlinePoolStarvationSpike')).toBeLessThan(out.indexOf('FIRING  FaultlinePoolStarvationSpike'));
      await showing(() => seen(/Alertmanager → \S+: FIRING FaultlinePoolStarvationSpike service=\S+ error_id=\S+ \| cause: \S/), 120_000, 'the notification');
    } else {
      expect(out).toMatch(/prometheus/i);
    }

    child.kill('SIGINT');
    expect(await exited, out).toBe(0);
    expect(out).toMatch(/stopped producer \(pid \d+, exit 0\)/);
    expect(out).toMatch(/stopped worker \(pid \d+, exit 0\)/);
    for (const m of out.matchAll(/stopped \w+ \(pid (\d+)/g)) expect(pidAlive(Number(m[1]))).toBe(false);
    if (own) {
      expect(out).toContain(`stopped Kafka on 127.0.0.1:${ownPort}`);
      expect(kafkaScript(['status'], ownPort as number).status, 'the broker it started is stopped').toBe(3);
    } else {
      expect(out).not.toContain('stopped Kafka');
    }
  }, 900_000);
});
