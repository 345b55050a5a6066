/**
 * npm run bench:issue11 — every figure of issue #11's table in one run: the benches below run
 * one after another on the same machine, each as its own process (as a user runs it), and their
 * result files are read back into one table with the issue's figure, the target and whether it
 * is met. Nothing here measures; each row names the bench that did.
 *
 *   bench:startup   `faultline scan` start-up, 2,522 rules, warm rule cache (median CPU and wall)
 *   bench:idle      an idle worker beside a bare kafkajs consumer
 *   bench:e2e       the worker on a real broker, ~1 % matching: CPU per record, N threads vs 1,
 *                   the ratio to the bare consumer; then again on the raw loghub background
 *   bench:match     the bank alone, 2,522 rules, 1 thread vs the pool
 *   bench:hyperscan `faultline scan` on 640k plain lines against Hyperscan
 *
 * BENCH_ISSUE11_SKIP=idle,match,... leaves benches out (their rows say so). The e2e runs take
 * BENCH_RECORDS (default here 100,000) and BENCH_ROUNDS (2). Needs ../shared (deadends, loghub),
 * kcat and a Kafka broker the way bench:e2e finds one. About 20 minutes on a 2-core box.
 * Results: bench/results/issue11-<time>.json and a Markdown table on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench/results');
const SKIP = new Set((process.env.BENCH_ISSUE11_SKIP ?? '').split(',').filter(Boolean));

type Json = Record<string, unknown>;

/** Runs bench/<file> and returns the newest bench/results/<prefix>-*.json it wrote. */
function runBench(name: string, file: string, prefix: string, env: NodeJS.ProcessEnv = {}): Json | undefined {
  if (SKIP.has(name)) return undefined;
  const started = Date.now();
  console.error(`\nbench:issue11: ${name} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench', file)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  // The benches exit 1 while a target is missed: that is a result, not a failure.
  if (res.status !== 0 && res.status !== 1) console.error(`bench:issue11: ${name} exited ${res.status ?? res.signal}`);
  mkdirSync(RESULTS, { recursive: true });
  const newest = readdirSync(RESULTS)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.json'))
    .map((f) => ({ f, t: statSync(path.join(RESULTS, f)).mtimeMs }))
    .filter((x) => x.t >= started)
    .sort((a, b) => b.t - a.t)[0];
  if (newest === undefined) {
    console.error(`bench:issue11: ${name} wrote no result`);
    return undefined;
  }
  return JSON.parse(readFileSync(path.join(RESULTS, newest.f), 'utf8')) as Json;
}

function get(obj: unknown, ...keys: (string | number)[]): unknown {
  let cur = obj;
  for (const k of keys) cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string | number, unknown>)[k];
  return cur;
}
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface Row {
  what: string;
  issue: string;
  now: string;
  target: string;
  met: boolean | undefined;
  bench: string;
}

const e2eEnv = { BENCH_RECORDS: process.env.BENCH_RECORDS ?? '100000', BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '2' };
const startup = runBench('startup', 'startup.ts', 'startup');
const idle = runBench('idle', 'idle.ts', 'idle');
const e2e = runBench('e2e', 'e2e.ts', 'e2e', e2eEnv);
const e2eLoghub = runBench('e2e-loghub', 'e2e.ts', 'e2e', { ...e2eEnv, BENCH_CORPUS: 'loghub' });
const match = runBench('match', 'match.ts', 'match');
const hyperscan = runBench('hyperscan', 'scan-vs-hyperscan.ts', 'hyperscan');

const rows: Row[] = [];
const missing = '(not run)';
/** A CPU-per-record row of a bench:e2e result: N threads, 1 thread, the bare consumer. */
function cpuRow(run: Json | undefined, what: string, issue: string, targetUs: number, bench: string): Row {
  const w = num(get(run, 'worker', 'cpuUsPerRecord'));
  const b = num(get(run, 'bare', 'cpuUsPerRecord'));
  const w1 = num(get(run, 'threads', 'single', 'cpuUsPerRecord'));
  return {
    what,
    issue,
    now: w === undefined ? missing : `${w} µs with ${String(get(run, 'threads', 'n'))} threads, ${w1} µs with 1 (bare kafkajs ${b} µs)`,
    target: `≤ ${targetUs} µs`,
    met: w === undefined ? undefined : Math.min(w, w1 ?? Infinity) <= targetUs,
    bench,
  };
}
rows.push(cpuRow(e2e, 'worker CPU per record, 2,522 rules, ~1 % of records matching', '19.9 µs (bare kafkajs 2.3 µs)', 8.5, 'bench:e2e'));
rows.push(
  cpuRow(e2eLoghub, 'worker CPU per record, 2,522 rules, raw loghub background (most records match)', '44 µs', 15, 'bench:e2e, BENCH_CORPUS=loghub'),
);
{
  const t = num(get(e2e, 'threads', 'ratio'));
  const m = num(get(match, 'threads', 'ratio'));
  rows.push({
    what: 'records/s with N matcher threads vs 1 (same run)',
    issue: 'matching on one thread only',
    now: `worker ${t === undefined ? missing : `${t}x`} (bench:e2e); the bank alone ${m === undefined ? missing : `${m}x`} (bench:match)`,
    target: '≥ 1.7x',
    met: t === undefined ? undefined : t >= 1.7,
    bench: 'bench:e2e, bench:match',
  });
}
{
  const w = num(get(idle, 'idleCpuPercent', 'worker'));
  const b = num(get(idle, 'idleCpuPercent', 'bare'));
  rows.push({
    what: 'idle worker (subscribed, no traffic), CPU',
    issue: '5-10 % of a core',
    now: w === undefined ? missing : `${w} % over ${String(get(idle, 'seconds'))} s (bare kafkajs ${b} %)`,
    target: '< 1 %',
    met: w === undefined ? undefined : w < 1,
    bench: 'bench:idle',
  });
}
{
  const procs = (get(startup, 'processes') as { case: string; cpuMs: number | null; wallMs: number }[] | undefined) ?? [];
  const warm = procs.find((p) => p.case.includes('warm'));
  const cold = procs.find((p) => p.case.includes('no cache'));
  rows.push({
    what: '`faultline scan` start-up, 2,522 rules (warm rule cache; median)',
    issue: '2.4-2.6 s',
    now:
      warm === undefined
        ? missing
        : `${Math.round(warm.cpuMs ?? NaN)} ms CPU, ${Math.round(warm.wallMs)} ms wall (no cache: ${Math.round(cold?.cpuMs ?? NaN)} ms CPU)`,
    target: '≤ 0.5 s',
    met: warm === undefined ? undefined : (warm.cpuMs ?? Infinity) <= 500,
    bench: 'bench:startup',
  });
}
{
  const r = num(get(hyperscan, 'ratioToScan'));
  rows.push({
    what: '`faultline scan` on plain text, whole process, ~640k lines, vs Hyperscan (one caseless database, per line)',
    issue: '~57k lines/s, 1/7 of Hyperscan',
    now:
      r === undefined
        ? missing
        : `${String(get(hyperscan, 'faultline', 'linesPerCpuS'))} lines per CPU second, ${r} of Hyperscan's ${String(get(hyperscan, 'hyperscan', 'linesPerCpuS'))}`,
    target: '≥ 1/3 of Hyperscan',
    met: r === undefined ? undefined : r >= 1 / 3,
    bench: 'bench:hyperscan',
  });
}
{
  const r = num(get(e2e, 'ratio'));
  rows.push({
    what: 'bench:e2e records/s, worker / bare consumer',
    issue: '0.14-0.23',
    now: r === undefined ? missing : `${r} (CPU ceiling on ${String(get(e2e, 'cpuCeiling', 'cores'))} cores: ${String(get(e2e, 'cpuCeiling', 'ratio'))})`,
    target: '≥ 0.6',
    met: r === undefined ? undefined : r >= 0.6,
    bench: 'bench:e2e',
  });
}
const bankRate = num(get(match, 'sizes', 2, 'wallRate'));
const bankCpuRate = num(get(match, 'sizes', 2, 'cpuRate'));

const md = [
  '| what | in the issue | now | target | met? | bench |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.issue} | ${r.now} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'no'} | ${r.bench} |`),
].join('\n');
console.log(`\n== issue #11, one run (${new Date().toISOString()}, load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
console.log(md);
if (bankRate !== undefined) console.log(`\nthe bank alone, 2,522 rules (bench:match): ${Math.round(bankRate)} records/s wall, ${Math.round(bankCpuRate ?? NaN)} per CPU second`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  path.join(RESULTS, `issue11-${Date.now()}.json`),
  `${JSON.stringify({ date: new Date().toISOString(), rows, runs: { startup, idle, e2e, e2eLoghub, match, hyperscan } }, null, 2)}\n`,
);
