/**
 * npm run bench:plan — the worker's main-thread work per record on the matcher threads' path,
 * without Kafka and without the matching itself: decode, tag, plan (batch-plan.ts), serialise,
 * and the sink's shaping of the writes into requests, for the records of bench:e2e (half JSON
 * events, half text lines, the key a service name) in batches of BENCH_BATCH (1,500, about what
 * kafkajs hands the worker in bench:e2e). The matches are worked out once beforehand with the
 * deadends KB (or rules/; BENCH_RULES), so the timed passes hold only what the main thread does
 * while the threads match. CPU time of this process (main thread only: no threads run), best
 * of BENCH_PASSES (7) passes: steadier than bench:e2e on a loaded box, where each change of the
 * main thread's work is hidden in the noise of the broker and the threads.
 *
 * Runs dist/ (npm run bench:plan builds it first). BENCH_CORPUS=loghub: the raw loghub lines (most match); default ~1 % of records matching.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BatchControl, InBatch, InRecord } from '../src/kafka/types.js';
import type { RuleMatch } from '../src/match/types.js';
import type { PooledBank } from '../src/pool/pooled-bank.js';
import type { PlanSettings } from '../src/worker/batch-plan.js';
import type * as ConfigModule from '../src/config/config.js';
import type * as SinkModule from '../src/kafka/sink.js';
import type * as LoadModule from '../src/kb/load.js';
import type * as BankModule from '../src/match/bank.js';
import type * as UnknownModule from '../src/templates/unknown-errors.js';
import type * as CoreModule from '../src/worker/core-processor.js';
import type * as PoolPlanModule from '../src/worker/pool-plan.js';
import { buildRecords, loadBackground, withoutMatches } from './corpus.js';
import { matchingSignature } from './rules-source.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The code measured runs as shipped, from dist/ (tsx's transform adds a call per closure made). */
const shipped = <T>(path: string): Promise<T> => import(pathToFileURL(join(ROOT, 'dist', path)).href) as Promise<T>;
const { resolveConfig } = await shipped<typeof ConfigModule>('config/config.js');
const { requests, topicMessages } = await shipped<typeof SinkModule>('kafka/sink.js');
const { loadRules } = await shipped<typeof LoadModule>('kb/load.js');
const { buildBank } = await shipped<typeof BankModule>('match/bank.js');
const { UnknownErrors } = await shipped<typeof UnknownModule>('templates/unknown-errors.js');
const { coreProcessorFor } = await shipped<typeof CoreModule>('worker/core-processor.js');
const { planOnPool } = await shipped<typeof PoolPlanModule>('worker/pool-plan.js');
const RECORDS = Number(process.env.BENCH_RECORDS ?? 60_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1500);
const PASSES = Number(process.env.BENCH_PASSES ?? 7);
const LOGHUB = process.env.BENCH_CORPUS === 'loghub';

const shared = resolve(ROOT, '../shared/data/deadends/canons');
const rulesDir = process.env.BENCH_RULES ?? (existsSync(shared) ? shared : join(ROOT, 'rules'));
const { rules } = await loadRules([rulesDir]);
const { bank } = buildBank(rules);

let lines: string[];
if (LOGHUB) lines = buildRecords(loadBackground(), [], { count: RECORDS, targetBytes: 500, signatureShare: 0, seed: 42 });
else {
  const quiet = withoutMatches(loadBackground(), (line) => bank.match(line).length > 0);
  const signatures = rules.flatMap((r) => matchingSignature(r) ?? []);
  lines = buildRecords(quiet.background, signatures, { count: RECORDS, targetBytes: 500, signatureShare: 0.01, seed: 42 });
}

// As bench:e2e writes them: the key names the service; every other value is a JSON event.
const records: InRecord[] = lines.map((line, i) => {
  const service = `svc-${i % 50}`;
  const value = i % 2 === 0 ? JSON.stringify({ ts: new Date(1_700_000_000_000 + i).toISOString(), level: 'info', service, msg: line }) : line;
  return { key: Buffer.from(service), value: Buffer.from(value), offset: String(i), timestamp: String(1_700_000_000_000 + i) };
});
const batches: InBatch[] = [];
for (let i = 0; i < records.length; i += BATCH) batches.push({ topic: 'logs', partition: 0, highWatermark: String(records.length), records: records.slice(i, i + BATCH) });

const config = resolveConfig('worker', {}, { KAFKA_BROKERS: '127.0.0.1:1', FAULTLINE_INPUT_TOPICS: 'logs' });
const settings: PlanSettings = {
  outputTopic: 'matches',
  dlqTopic: 'dlq',
  emit: config.emit,
  maxWriteBytes: 1_000_000,
  recordLimits: { maxKeyBytes: config.maxKeyBytes, maxHeaders: config.maxHeaders, maxHeaderBytes: config.maxHeaderBytes },
};
const control: BatchControl = { heartbeat: async () => undefined, isRunning: () => true, isStale: () => false, commit: async () => undefined };

// The texts of each batch as the plan sends them, matched once here: the passes replay them.
const factory = coreProcessorFor(config, new UnknownErrors());
const steps = factory.split?.(bank);
if (steps === undefined) throw new Error('the core processor has no split form');
const known = new Map<string, RuleMatch[]>();
const matchOnce = (text: string): RuleMatch[] => {
  let m = known.get(text);
  if (m === undefined) known.set(text, (m = text === '' ? [] : bank.match(text)));
  return m;
};
const fakePool = {
  rules: bank.rules,
  stats: bank.stats,
  match: (text: string) => bank.match(text),
  close: () => undefined,
  matchAll: (texts: readonly string[]) => Promise.resolve(texts.map(matchOnce)),
} as unknown as PooledBank;
let matched = 0;
for (const b of batches) {
  const plan = await planOnPool(b, control, fakePool, steps, settings, 1000);
  matched += plan?.matched.length ?? 0;
}

let best = Infinity;
let writes = 0;
for (let pass = 0; pass < PASSES; pass++) {
  const passSteps = coreProcessorFor(config, new UnknownErrors()).split?.(bank) ?? steps;
  const cpu0 = process.cpuUsage();
  writes = 0;
  for (const b of batches) {
    const plan = await planOnPool(b, control, fakePool, passSteps, settings, 1000);
    if (plan === undefined) throw new Error('stale plan');
    for (const request of requests([{ records: plan.writes }], 900_000)) writes += topicMessages(request).reduce((n, t) => n + t.messages.length, 0);
  }
  const cpu = process.cpuUsage(cpu0);
  best = Math.min(best, (cpu.user + cpu.system) / records.length);
}
bank.close();
console.log(
  `bench:plan: ${LOGHUB ? 'loghub' : 'quiet-1pct'}, ${records.length} records in batches of ${BATCH}, ${rules.length} rules, ${matched} matched, ${writes} writes: ` +
    `main-thread CPU ${best.toFixed(2)} µs per record (best of ${PASSES})`,
);
