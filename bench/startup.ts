/**
 * npm run bench:startup — how long `faultline scan` takes to start with the deadends KB
 * (2,522 rules; rules/ when ../shared is absent; BENCH_RULES picks another directory).
 *
 * Part 1, stage by stage in this process (CPU ms, then wall ms): finding and reading the files,
 * JSON parsing, schema validation (ajv standalone code generated at build time), normalisation, the RE2 check of
 * every regex, the bank plan (RE2 compile + prefilter extraction) and the prefilter index; then
 * the cached path: key, entry read, bank from the entry.
 * Part 2, whole processes (`echo x | node dist/cli/main.js scan`, median of BENCH_RUNS = 5):
 * `node -e 0` as the floor, scan without cache (FAULTLINE_CACHE_DIR=off), scan with a warm cache.
 * CPU figures (user + system of the child, from /usr/bin/time when present) are the ones to
 * read on a shared machine; wall time is what a user waits on a quiet one. Needs `npm run build`.
 * Results go to bench/results/startup-<time>.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat } from '../src/kb/detect-format.js';
import { parseJsonText } from '../src/kb/json-syntax.js';
import { readRuleFiles } from '../src/kb/load.js';
import { loadRecordText } from '../src/kb/load-record.js';
import { deadendsRecordToRule } from '../src/kb/normalise-deadends.js';
import { flatRecordToRule } from '../src/kb/normalise-flat.js';
import { patternError } from '../src/kb/check-pattern.js';
import type { Rule } from '../src/kb/types.js';
import { validateRecord } from '../src/kb/validate-record.js';
import { bankFromPlan, planBank, prefilterOfPlan } from '../src/match/bank.js';
import { foldTable } from '../src/match/case-fold.js';
import { PrefilterIndex } from '../src/match/prefilter-index.js';
import { cacheKey, readCached, writeCached } from '../src/ruleset/bank-cache.js';
import { rulesVersion } from '../src/ruleset/load-bank.js';
import { DEADENDS_DIR } from './rules-source.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RULES = process.env.BENCH_RULES ?? (existsSync(DEADENDS_DIR) ? DEADENDS_DIR : path.join(ROOT, 'rules'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MAIN = path.join(ROOT, 'dist/cli/main.js');

interface Stage {
  stage: string;
  cpuMs: number;
  wallMs: number;
}

const stages: Stage[] = [];
function stage<T>(name: string, run: () => T): T {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = run();
  const cpu = process.cpuUsage(cpu0);
  stages.push({ stage: name, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 });
  return out;
}
async function stageAsync<T>(name: string, run: () => Promise<T>): Promise<T> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await run();
  const cpu = process.cpuUsage(cpu0);
  stages.push({ stage: name, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 });
  return out;
}

// ---------------------------------------------------------------- part 1: stages

const read = await stageAsync('find + read files', () => readRuleFiles([RULES]));
const texts = read.files.flatMap((f) => ('text' in f ? [{ file: f.file, text: f.text }] : []));
const parsed = stage('JSON parse', () => texts.map((t) => ({ ...t, value: (parseJsonText(t.text) as { value: unknown }).value })));
const formats = parsed.map((p) => detectFormat(p.value));
stage('schema validators: first use (generated)', () => validateRecord({}, 'deadends', 'x'));
stage('ajv: validate', () => parsed.forEach((p, i) => { const f = formats[i]; if (f?.kind === 'record') validateRecord(p.value, f.format, p.file); }));
const rules = stage('normalise', () =>
  parsed.flatMap((p, i): Rule[] => {
    const f = formats[i];
    if (f?.kind !== 'record') return [];
    const record = p.value as Record<string, unknown>;
    return [f.format === 'flat' ? flatRecordToRule(record, p.file) : deadendsRecordToRule(record, p.file)];
  }),
);
stage('RE2 check of each regex', () => rules.forEach((r) => r.patterns.forEach((p) => patternError(p.regex))));
stage('whole load (all of the above)', () => texts.forEach((t) => loadRecordText(t.text, t.file)));
const plan = stage('bank plan: RE2 compile + prefilter', () => planBank(rules));
const index = stage('prefilter index (Aho-Corasick)', () => prefilterOfPlan(plan));
stage('rules version hash', () => rulesVersion(rules));

const cacheDir = mkdtempSync(path.join(tmpdir(), 'faultline-bench-cache-'));
const cache = { dir: cacheDir, warn: (m: string) => console.error(m) };
const key = stage('cache: key (hash of files + engine)', () => cacheKey(read) as string);
writeCached(cache, key, { rules, problems: [], skipped: [], plan, version: '', index: index?.tables() ?? null, foldTable: foldTable() });
const hit = stage('cache: read entry', () => readCached(cache, key, read));
if (hit === undefined) throw new Error('the entry just written was not read back');
stage('cache: bank from entry', () => bankFromPlan(hit.rules, hit.plan, {}, hit.index === null ? null : new PrefilterIndex(hit.index)));

// ---------------------------------------------------------------- part 2: whole processes

const hasTime = existsSync('/usr/bin/time');
interface Run {
  wallMs: number;
  cpuMs: number | null;
}
function runOnce(args: string[], env: NodeJS.ProcessEnv): Run {
  const argv = hasTime ? ['-f', '%U %S', process.execPath, ...args] : args;
  const t0 = performance.now();
  const res = spawnSync(hasTime ? '/usr/bin/time' : process.execPath, argv, { input: 'x\n', env: { ...process.env, ...env }, encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  const last = hasTime ? res.stderr.trim().split('\n').pop() ?? '' : '';
  const [u, s] = last.split(' ').map(Number);
  return { wallMs, cpuMs: hasTime && u !== undefined && s !== undefined ? (u + s) * 1000 : null };
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
function whole(name: string, args: string[], env: NodeJS.ProcessEnv = {}): { case: string; wallMs: number; cpuMs: number | null } {
  const runs = Array.from({ length: RUNS }, () => runOnce(args, env));
  const cpu = runs.map((r) => r.cpuMs).filter((c): c is number => c !== null);
  return { case: name, wallMs: median(runs.map((r) => r.wallMs)), cpuMs: cpu.length > 0 ? median(cpu) : null };
}

if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build first`);
const scan = [MAIN, 'scan', '--rules', RULES, '--no-progress'];
const processDir = mkdtempSync(path.join(tmpdir(), 'faultline-bench-cache-'));
runOnce(scan, { FAULTLINE_CACHE_DIR: processDir }); // fills the cache
const processes = [
  whole('node -e 0 (floor)', ['-e', '0']),
  whole('scan, no cache', scan, { FAULTLINE_CACHE_DIR: 'off' }),
  whole('scan, warm cache', scan, { FAULTLINE_CACHE_DIR: processDir }),
];
rmSync(cacheDir, { recursive: true, force: true });
rmSync(processDir, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim();
console.log(`bench:startup — ${rules.length} rules from ${RULES}; load average ${load}`);
console.log('\nstage                                   CPU ms   wall ms');
for (const s of stages) console.log(`${s.stage.padEnd(38)} ${s.cpuMs.toFixed(0).padStart(7)} ${s.wallMs.toFixed(0).padStart(9)}`);
console.log(`\nwhole process (median of ${RUNS})             CPU ms   wall ms`);
for (const p of processes) console.log(`${p.case.padEnd(38)} ${(p.cpuMs?.toFixed(0) ?? '-').padStart(7)} ${p.wallMs.toFixed(0).padStart(9)}`);
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const out = path.join(ROOT, `bench/results/startup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ rules: rules.length, rulesDir: RULES, loadavg: load, stages, processes }, null, 2));
console.log(`\nresults: ${out}`);
