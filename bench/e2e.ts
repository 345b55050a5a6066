/**
 * npm run bench:e2e — the worker end to end on a real broker, against the ceiling of our Kafka
 * client on this machine: a bare kafkajs consumer that only reads and commits.
 *
 * One run: BENCH_RECORDS (200,000) log records of about BENCH_RECORD_BYTES (500) on a 4-partition
 * topic, ~1 % carrying a KB signature; then the bare consumer and the worker (with the deadends KB
 * when /work/shared is there, else rules/) each read it all in a child process of its own, so
 * that each one's RSS is its own. Reported: records/s from the first batch to the last commit,
 * p50/p99 batch latency (receipt to commit), peak RSS, and the worker/bare ratio.
 *
 * Broker: KAFKA_BROKERS if set, else scripts/kafka on BENCH_KAFKA_PORT (19392), started for the
 * run and stopped after it if the run started it. Targets: ratio >= 0.6, worker RSS <= 300 MB.
 * Results also go to bench/results/e2e-<time>.json; BENCH_PROFILE=1 adds CPU profiles.
 */
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RECORD_BYTES = Number(process.env.BENCH_RECORD_BYTES ?? 500);
const PARTITIONS = 4;
const PORT = process.env.BENCH_KAFKA_PORT ?? '19392';
const TARGET_RATIO = 0.6;
const TARGET_RSS_MB = 300;
/** Both consumers read with the same client settings; only what they do per batch differs. */
const FETCH = { maxBytesPerPartition: 1024 * 1024, maxWaitTimeInMs: 1000, partitionsConsumedConcurrently: 2 };

interface PhaseResult {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  p50BatchMs: number;
  p99BatchMs: number;
  batches: number;
  peakRssMb: number;
  rules?: number;
  matched?: number;
}

// ---------------------------------------------------------------- shared by the child phases

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Peak RSS, sampled every 50 ms while the phase runs. */
function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / (1024 * 1024);
    },
  };
}

function phaseResult(records: number, startMs: number, endMs: number, latenciesMs: number[], peakRssMb: number): PhaseResult {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const seconds = (endMs - startMs) / 1000;
  return {
    records,
    seconds: round(seconds, 3),
    recordsPerSecond: Math.round(records / seconds),
    p50BatchMs: round(percentile(sorted, 50), 2),
    p99BatchMs: round(percentile(sorted, 99), 2),
    batches: sorted.length,
    peakRssMb: round(peakRssMb, 1),
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
}

// ---------------------------------------------------------------- phase: bare kafkajs consumer

async function bare(): Promise<PhaseResult> {
  const topic = env('BENCH_TOPIC');
  const expected = Number(env('BENCH_EXPECT'));
  const kafka = new Kafka({ clientId: 'bench-bare', brokers: env('BENCH_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: env('BENCH_GROUP'),
    maxBytesPerPartition: FETCH.maxBytesPerPartition,
    maxWaitTimeInMs: FETCH.maxWaitTimeInMs,
    allowAutoTopicCreation: false,
  });
  const rss = rssSampler();
  const latencies: number[] = [];
  let count = 0;
  let first = 0;
  let last = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: FETCH.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      const received = performance.now();
      if (first === 0) first = received;
      const lastOffset = batch.lastOffset();
      resolveOffset(lastOffset);
      await commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }] }],
      });
      last = performance.now();
      latencies.push(last - received);
      count += batch.messages.length;
      if (count >= expected) finish();
    },
  });
  await done;
  const peak = rss.stop();
  await consumer.disconnect();
  return phaseResult(count, first, last, latencies, peak);
}

// ---------------------------------------------------------------- phase: the worker

async function worker(): Promise<PhaseResult> {
  const { resolveConfig } = await import('../src/config/config.js');
  const { runWorker } = await import('../src/cli/worker.js');
  const { createLogger } = await import('../src/log.js');
  const { NOOP_OBSERVER } = await import('../src/pipeline/observer.js');
  const expected = Number(env('BENCH_EXPECT'));
  const config = resolveConfig(
    'worker',
    {},
    {
      KAFKA_BROKERS: env('BENCH_BROKERS'),
      FAULTLINE_INPUT_TOPICS: env('BENCH_TOPIC'),
      FAULTLINE_OUTPUT_TOPIC: env('BENCH_OUTPUT'),
      FAULTLINE_DLQ_TOPIC: env('BENCH_DLQ'),
      FAULTLINE_GROUP_ID: env('BENCH_GROUP'),
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_RULES: env('BENCH_RULES'),
    },
  );
  const latencies: number[] = [];
  let count = 0;
  let matched = 0;
  let rules = 0;
  let first = 0;
  let last = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const rss = rssSampler();
  const handle = await runWorker(config, {
    logger: createLogger('warn'),
    observer: {
      ...NOOP_OBSERVER,
      rulesLoaded: (r) => (rules = r.rules),
      batch: (r) => {
        const now = performance.now();
        const ms = r.latencySeconds * 1000;
        if (first === 0) first = now - ms;
        last = now;
        latencies.push(ms);
        count += r.records;
        matched += r.matched.length;
        if (count >= expected) finish();
      },
    },
    tuning: { partitionsConsumedConcurrently: FETCH.partitionsConsumedConcurrently, maxBytesPerPartition: FETCH.maxBytesPerPartition },
  });
  await done;
  const peak = rss.stop();
  await handle.stop('benchmark done');
  return { ...phaseResult(count, first, last, latencies, peak), rules, matched };
}

// ---------------------------------------------------------------- orchestration

/** Deadends signatures (or rules/ examples): the ~1 % of records a rule should match. */
async function signatures(rulesDir: string): Promise<string[]> {
  const { loadRules } = await import('../src/kb/load.js');
  const { rules } = await loadRules([rulesDir]);
  const out: string[] = [];
  for (const r of rules) {
    const sig = (r.record.signature ?? (r.record.error as Record<string, unknown> | undefined)?.signature) as unknown;
    if (typeof sig === 'string' && sig.length < 300) out.push(sig);
    for (const e of r.examples?.match ?? []) if (e.text.length < 300) out.push(e.text);
  }
  return out;
}

const WORDS = ['checkout', 'payment', 'inventory', 'session', 'catalog', 'search', 'profile', 'shipping', 'ledger', 'audit'];

/** Writes the records as kcat -P input: key, \x1f, value, \x1e. */
async function writeInput(path: string, sigs: readonly string[]): Promise<void> {
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out = createWriteStream(path);
  for (let i = 0; i < RECORDS; i++) {
    const service = `svc-${i % 50}`;
    const signature = rnd() < 0.01 ? pick(sigs).replaceAll('\x1e', ' ').replaceAll('\x1f', ' ') : undefined;
    const base = signature ?? `${pick(WORDS)} request ${i} handled for tenant ${Math.floor(rnd() * 1e6)} in ${Math.floor(rnd() * 900)} ms`;
    const trace = Math.floor(rnd() * 2 ** 52).toString(16).padStart(13, '0');
    const filler = ` trace_id=${trace.repeat(30)}`.slice(0, Math.max(0, RECORD_BYTES - base.length - 120));
    const value =
      rnd() < 0.5
        ? JSON.stringify({ ts: new Date(1_700_000_000_000 + i).toISOString(), level: signature ? 'error' : 'info', service, msg: base, trace: filler })
        : `${new Date(1_700_000_000_000 + i).toISOString()} ${signature ? 'ERROR' : 'INFO'} [${service}] ${base}${filler}`;
    if (!out.write(`${service}\x1f${value}\x1e`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim().slice(-2000)}`)),
    );
  });
}

async function runPhase(phase: 'bare' | 'worker', phaseEnv: Record<string, string>): Promise<PhaseResult> {
  // BENCH_PROFILE=1: a V8 CPU profile of each phase in bench/results/profiles/ (open in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/results/profiles')}`] : [];
  const stdout = await run(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(import.meta.url), phase], phaseEnv);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`${phase} phase printed no result`);
  return JSON.parse(line.slice('RESULT '.length)) as PhaseResult;
}

function kafkaScript(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile(
      'bash',
      [join(ROOT, 'scripts/kafka/kafka.sh'), ...args],
      { env: { ...process.env, KAFKA_PORT: PORT, KAFKA_NUM_PARTITIONS: String(PARTITIONS) }, timeout: 10 * 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`kafka.sh ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolvePromise(stdout)),
    ),
  );
}

async function main(): Promise<void> {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  const holder = String(process.pid);
  let brokers: string;
  if (fromEnv) brokers = fromEnv;
  else {
    await kafkaScript(['acquire', holder]);
    brokers = `127.0.0.1:${PORT}`;
  }
  const shared = resolve(ROOT, '../shared/data/deadends/canons');
  const rulesDir = process.env.BENCH_RULES ?? (existsSync(shared) ? shared : join(ROOT, 'rules'));
  const kafka = new Kafka({ clientId: 'bench-e2e', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const stamp = Date.now().toString(36);
  const topic = `bench-logs-${stamp}`;
  const output = `bench-matches-${stamp}`;
  const dlq = `bench-dlq-${stamp}`;
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: PARTITIONS },
        { topic: output, numPartitions: PARTITIONS },
        { topic: dlq, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    console.error(`bench:e2e: ${RECORDS} records of ~${RECORD_BYTES} bytes on ${brokers}, rules from ${rulesDir}`);
    const file = join(tmpdir(), `faultline-bench-${stamp}.kcat`);
    await writeInput(file, await signatures(rulesDir));
    const t0 = performance.now();
    await run('bash', ['-c', `kcat -b "$1" -P -t "$2" -D '\\x1e' -K '\\x1f' -X topic.partitioner=murmur2_random -X acks=all < "$3"`, '_', brokers, topic, file]);
    rmSync(file);
    console.error(`bench:e2e: produced with kcat in ${round((performance.now() - t0) / 1000, 1)} s`);

    const common = { BENCH_BROKERS: brokers, BENCH_TOPIC: topic, BENCH_EXPECT: String(RECORDS), KAFKAJS_NO_PARTITIONER_WARNING: '1' };
    const bareResult = await runPhase('bare', { ...common, BENCH_GROUP: `bench-bare-${stamp}` });
    console.error(`bench:e2e: bare consumer done`);
    const workerResult = await runPhase('worker', { ...common, BENCH_GROUP: `bench-worker-${stamp}`, BENCH_OUTPUT: output, BENCH_DLQ: dlq, BENCH_RULES: rulesDir });

    const ratio = round(workerResult.recordsPerSecond / bareResult.recordsPerSecond, 3);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      records: RECORDS,
      recordBytes: RECORD_BYTES,
      partitions: PARTITIONS,
      rulesDir,
      bare: bareResult,
      worker: workerResult,
      ratio,
      targets: { ratio: TARGET_RATIO, workerRssMb: TARGET_RSS_MB },
      met: ratio >= TARGET_RATIO && workerResult.peakRssMb <= TARGET_RSS_MB,
    };
    const rows = [
      ['', 'records/s', 'p50 batch ms', 'p99 batch ms', 'batches', 'peak RSS MB'],
      ['bare kafkajs', bareResult.recordsPerSecond, bareResult.p50BatchMs, bareResult.p99BatchMs, bareResult.batches, bareResult.peakRssMb],
      [`worker (${workerResult.rules ?? '?'} rules)`, workerResult.recordsPerSecond, workerResult.p50BatchMs, workerResult.p99BatchMs, workerResult.batches, workerResult.peakRssMb],
    ];
    for (const r of rows) console.log(r.map((c, i) => String(c).padStart(i === 0 ? 0 : 14).padEnd(i === 0 ? 26 : 0)).join(''));
    console.log(`worker/bare: ${ratio} (target >= ${TARGET_RATIO}); worker RSS ${workerResult.peakRssMb} MB (target <= ${TARGET_RSS_MB}); matched ${workerResult.matched}`);
    console.log(report.met ? 'targets met' : 'TARGETS MISSED');
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, `bench/results/e2e-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    if (!report.met) process.exitCode = 1;
  } finally {
    await admin.deleteTopics({ topics: [topic, output, dlq] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    if (!fromEnv) await kafkaScript(['release', holder]).catch((err: unknown) => console.error(String(err)));
  }
}

const phase = process.argv[2];
if (phase === 'bare' || phase === 'worker') {
  const result = phase === 'bare' ? await bare() : await worker();
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
} else {
  await main();
}
