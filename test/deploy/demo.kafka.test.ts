// `npm run demo` end to end: a broker of its own (scripts/kafka on a free port, as on a fresh
// machine), the built worker and the demo producer; the live counts it prints reach every
// signal; Ctrl-C stops the producer, the worker (exit 0) and the broker it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBroker, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { KAFKA_SCRIPT } from '../support/kafka-script.js';

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

  afterAll(() => {
    if (demo !== undefined && demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
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

    const counted = (signal: string) => [...out.matchAll(new RegExp(`${signal} (\\d+)`, 'g'))].some((m) => Number(m[1]) > 0);
    await waitUntil(() => counted('pool-starvation') && counted('socket-exhaustion') && counted('thread-starvation'), {
      timeoutMs: 180_000,
      intervalMs: 500,
      what: `every signal counted in the demo output:\n${out}`,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- demo output ---\n${out}`);
    });
    expect(out).toMatch(/records in [1-9]\d*/);
    expect(out).toContain('worker ready');

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
  }, 400_000);
});
