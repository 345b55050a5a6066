/**
 * npm run bench:idle — what an idle worker costs: subscribed to an empty 4-partition topic, with
 * the deadends KB (rules/ when ../shared is absent; BENCH_RULES picks another), beside a bare
 * kafkajs consumer with the same fetch settings on the same topic, in the same window.
 *
 * Both run as child processes. After both have joined their groups and BENCH_IDLE_SETTLE_S (5)
 * more seconds, each one's CPU time (user + system, all threads, /proc/<pid>/stat) is taken over
 * BENCH_IDLE_SECONDS (60) and reported as % of one core. Then one record is produced and the
 * time until each group has committed past it is reported: idling must not slow the reaction.
 * Target: the worker < 1 % of a core. Broker: KAFKA_BROKERS, else scripts/kafka on
 * BENCH_KAFKA_PORT (19392). Needs `npm run build`. Results: bench/results/idle-<time>.json;
 * BENCH_PROFILE=1 adds the worker's CPU profile in bench/results/profiles/.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { workerNodeFlags } from '../scripts/worker-node-flags.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = process.env.BENCH_KAFKA_PORT ?? '19392';
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const SETTLE_SECONDS = Number(process.env.BENCH_IDLE_SETTLE_S ?? 5);
const TARGET_PERCENT = 1;
/** The worker's fetch settings (src/kafka/group-source.ts defaults), for the bare consumer too. */
const FETCH = { maxWaitTimeInMs: 1000, maxBytesPerPartition: 1024 * 1024 };
/** USER_HZ: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS = 100;

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
}

// ---------------------------------------------------------------- child: bare consumer

async function bare(): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-idle-bare', brokers: env('BENCH_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: env('BENCH_GROUP'), ...FETCH, allowAutoTopicCreation: false });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log('JOINED'));
  await consumer.connect();
  await consumer.subscribe({ topics: [env('BENCH_TOPIC')], fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  process.on('SIGTERM', () => void consumer.disconnect().finally(() => process.exit(0)));
}

// ---------------------------------------------------------------- parent

/** CPU time (user + system, all threads) of a process so far, in µs. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}

/** Resolves when the child prints a line matching `ready`; rejects if it exits first. */
function whenReady(child: ChildProcess, stream: NodeJS.ReadableStream, ready: (line: string) => boolean, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.some(ready)) resolvePromise();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited ${code} before it was ready`)));
  });
}

function kafkaScript(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile('bash', [join(ROOT, 'scripts/kafka/kafka.sh'), ...args], { env: { ...process.env, KAFKA_PORT: PORT }, timeout: 10 * 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kafka.sh ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolvePromise(stdout),
    ),
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/cli/main.js is missing: npm run build first');
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  const holder = String(process.pid);
  if (!fromEnv) await kafkaScript(['acquire', holder]);
  const brokers = fromEnv || `127.0.0.1:${PORT}`;
  const shared = resolve(ROOT, '../shared/data/deadends/canons');
  const rulesDir = process.env.BENCH_RULES ?? (existsSync(shared) ? shared : join(ROOT, 'rules'));
  const kafka = new Kafka({ clientId: 'bench-idle', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const stamp = Date.now().toString(36);
  const topic = `bench-idle-${stamp}`;
  const output = `bench-idle-out-${stamp}`;
  const dlq = `bench-idle-dlq-${stamp}`;
  const groups = { worker: `bench-idle-worker-${stamp}`, bare: `bench-idle-bare-${stamp}` };
  const children: ChildProcess[] = [];
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }, { topic: output, numPartitions: 4 }, { topic: dlq, numPartitions: 1 }], waitForLeaders: true });

    const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/results/profiles')}`] : [];
    const worker = spawn(process.execPath, [...profile, ...workerNodeFlags(ROOT), join(ROOT, 'dist/cli/main.js'), 'worker'], {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers,
        FAULTLINE_INPUT_TOPICS: topic,
        FAULTLINE_OUTPUT_TOPIC: output,
        FAULTLINE_DLQ_TOPIC: dlq,
        FAULTLINE_GROUP_ID: groups.worker,
        FAULTLINE_RULES: rulesDir,
        FAULTLINE_EMIT: 'all',
        FAULTLINE_METRICS_PORT: '0',
        FAULTLINE_METRICS_HOST: '127.0.0.1',
        FAULTLINE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(worker);
    const bareChild = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'bare'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_BROKERS: brokers, BENCH_TOPIC: topic, BENCH_GROUP: groups.bare },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(bareChild);
    await Promise.all([
      whenReady(worker, worker.stderr as NodeJS.ReadableStream, (l) => l.includes('"event":"group-joined"'), 'worker'),
      whenReady(bareChild, bareChild.stdout as NodeJS.ReadableStream, (l) => l === 'JOINED', 'bare consumer'),
    ]);
    await sleep(SETTLE_SECONDS * 1000);

    const pids = { worker: worker.pid as number, bare: bareChild.pid as number };
    const from = { worker: cpuMicros(pids.worker), bare: cpuMicros(pids.bare) };
    const t0 = performance.now();
    console.error(`bench:idle: both joined; measuring ${IDLE_SECONDS} s of idling (rules from ${rulesDir})`);
    await sleep(IDLE_SECONDS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const percent = (pid: number, start: number) => ((cpuMicros(pid) - start) / 1e6 / seconds) * 100;
    const idle = { worker: percent(pids.worker, from.worker), bare: percent(pids.bare, from.bare) };

    // Reaction: one record, then how long until each group has committed past it.
    const producer = kafka.producer();
    await producer.connect();
    const sent = performance.now();
    const [meta] = await producer.send({ topic, messages: [{ key: 'k', value: 'java.net.SocketException: Too many open files' }] });
    await producer.disconnect();
    const partition = meta?.partition ?? 0;
    const reaction: Record<'worker' | 'bare', number | null> = { worker: null, bare: null };
    for (let i = 0; i < 400 && (reaction.worker === null || reaction.bare === null); i++) {
      for (const who of ['worker', 'bare'] as const) {
        if (reaction[who] !== null) continue;
        const [offsets] = await admin.fetchOffsets({ groupId: groups[who], topics: [topic] });
        const committed = Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        if (committed > Number(meta?.baseOffset ?? 0)) reaction[who] = Math.round(performance.now() - sent);
      }
      await sleep(25);
    }

    const round2 = (n: number) => Math.round(n * 100) / 100;
    const loadavg = readFileSync('/proc/loadavg', 'utf8').trim();
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      rulesDir,
      seconds: round2(seconds),
      loadavg,
      idleCpuPercent: { worker: round2(idle.worker), bare: round2(idle.bare) },
      reactionMs: reaction,
      target: { workerPercent: TARGET_PERCENT },
      met: idle.worker < TARGET_PERCENT,
    };
    console.log(`idle CPU over ${round2(seconds)} s (% of one core): worker ${report.idleCpuPercent.worker}, bare kafkajs consumer ${report.idleCpuPercent.bare} (load average ${loadavg})`);
    console.log(`one record, produce to commit: worker ${reaction.worker ?? 'not committed'} ms, bare ${reaction.bare ?? 'not committed'} ms`);
    console.log(report.met ? `target met (< ${TARGET_PERCENT} %)` : `TARGET MISSED (< ${TARGET_PERCENT} %)`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, `bench/results/idle-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    if (!report.met) process.exitCode = 1;
  } finally {
    // Waited for: the worker leaves its group (and writes its profile) on the way out.
    await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGTERM'))))));
    await admin.deleteTopics({ topics: [topic, output, dlq] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    if (!fromEnv) await kafkaScript(['release', holder]).catch((err: unknown) => console.error(String(err)));
  }
}

if (process.argv[2] === 'bare') await bare();
else await main();
