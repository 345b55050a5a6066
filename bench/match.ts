/**
 * npm run bench:match — the matcher bank against rule-by-rule baselines, measured in one run.
 *
 * For banks of 100, 1,000 and all (2,522 deadends) rules: bank build time, records/s and MB/s
 * (wall clock, and per CPU second: steadier when the machine is shared), RSS, and the same
 * corpus through V8 RegExp, re2 and re2-wasm one rule at a time, as ratios. Every loop is bounded
 * by a time budget; the V8 and re2-wasm baselines run in workers, stopped if a regex hangs. Ends with a
 * Markdown table for the README. BENCH_GENERATED=1 uses generated rules and background (what a
 * fresh clone without ../shared gets).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildBank } from '../src/match/bank.js';
import { runBaseline, type BaselineKind, type BaselineResult } from './baselines.js';
import { buildRecords, loadBackground, withoutMatches, type Background } from './corpus.js';
import { compareLiteralScanners } from './literal-scanners.js';
import { comparePool } from './pool-compare.js';
import { usableCores } from '../src/pool/thread-count.js';
import { bestRate, fmtInt, fmtRatio } from './measure.js';
import { sampleInOrder, seededRandom } from './random.js';
import { loadBenchRules, type BenchRule } from './rules-source.js';

const RECORDS = 20_000;
const RECORD_BYTES = 556;
const SIGNATURE_SHARE = 0.01;
const BANK_BUDGET_MS = 3_000;
const BASELINE_BUDGET_MS = 3_000;
const BASELINES: BaselineKind[] = ['v8', 're2', 're2-wasm'];

interface SizeResult {
  rules: number;
  patterns: number;
  prefiltered: number;
  unfiltered: number;
  buildMs: number;
  wallRate: number;
  cpuRate: number;
  mbPerSec: number;
  /** RSS of a fresh process holding the KB and this bank after matching (rss-probe.ts). */
  rssMb: number;
  /** Its growth from building and running the bank. */
  bankRssMb: number;
  matchesPerRecord: number;
  recordsWithMatch: number;
  baselines: BaselineResult[];
}

function baselineRate(b: BaselineResult): number | null {
  return b.records > 0 && !b.timedOut && b.died === undefined ? (b.records / b.ms) * 1000 : null;
}

function describeBaseline(b: BaselineResult, bankRate: number): string {
  if (b.timedOut) return `timed out after ${b.records} records`;
  const printed = b.outputLines ? `; it printed ${b.outputLines} error lines` : '';
  if (b.died !== undefined) return `died after ${b.records} records (${b.died.slice(0, 60)}${printed})`;
  const rate = baselineRate(b) as number;
  const skipped = b.skipped > 0 ? `, ${b.skipped} regexes skipped` : '';
  return `${fmtInt(rate)} rec/s (bank ${fmtRatio(bankRate / rate)}${skipped})`;
}

/** `full`: also the RSS probe and the baselines (the raw-background run skips them). */
async function measureSize(all: readonly BenchRule[], size: number, background: Background, full: boolean): Promise<SizeResult> {
  const chosen = size >= all.length ? [...all] : sampleInOrder(all, size, seededRandom(size));
  const rules = chosen.map((c) => c.rule);
  const signatures = chosen.flatMap((c) => (c.signature === undefined ? [] : [c.signature]));
  const records = buildRecords(background, signatures, {
    count: RECORDS,
    targetBytes: RECORD_BYTES,
    signatureShare: SIGNATURE_SHARE,
    seed: 11,
  });
  const bytes = records.reduce((n, r) => n + Buffer.byteLength(r, 'utf8'), 0);

  const { bank, problems } = buildBank(rules);
  if (problems.length > 0) console.log(`  ${problems.length} regex problems, e.g. ${problems[0]?.ruleId}: ${problems[0]?.message}`);
  let matches = 0;
  let recordsWithMatch = 0;
  for (const r of records) {
    const m = bank.match(r).length;
    matches += m;
    if (m > 0) recordsWithMatch++;
  }
  const rate = bestRate(records.length, BANK_BUDGET_MS, () => {
    for (const r of records) bank.match(r);
  });
  const stats = bank.stats;
  bank.close();
  const probe = full ? rssProbe(size) : { rssMb: NaN, rssBeforeBankMb: NaN };
  console.log(
    `  bank: ${stats.rules} rules, ${stats.patterns} patterns (${stats.prefiltered} prefiltered, ${stats.unfiltered} via RE2.Set), ` +
      `built in ${stats.buildMs.toFixed(0)} ms; ${fmtInt(rate.wall)} rec/s wall, ${fmtInt(rate.cpu)} rec/s per CPU-s` +
      (full ? `; RSS ${probe.rssMb} MB in a fresh process holding KB, bank and corpus (${probe.rssBeforeBankMb} MB before the bank)` : ''),
  );
  const share = ((recordsWithMatch / records.length) * 100).toFixed(1);
  console.log(
    `  corpus: ${records.length} records, ${(bytes / records.length).toFixed(0)} B avg; ` +
      `${(matches / records.length).toFixed(3)} matches/record, ${share}% of records match`,
  );

  const regexes = rules.map((r) => r.patterns.map((p) => p.regex));
  const baselines: BaselineResult[] = [];
  for (const kind of full ? BASELINES : []) {
    const result = await runBaseline(kind, regexes, records, BASELINE_BUDGET_MS);
    baselines.push(result);
    console.log(`  ${kind} rule-by-rule loop: ${describeBaseline(result, rate.wall)}`);
  }
  return {
    rules: stats.rules,
    patterns: stats.patterns,
    prefiltered: stats.prefiltered,
    unfiltered: stats.unfiltered,
    buildMs: stats.buildMs,
    wallRate: rate.wall,
    cpuRate: rate.cpu,
    mbPerSec: (rate.wall * (bytes / records.length)) / 1e6,
    rssMb: probe.rssMb,
    bankRssMb: probe.rssMb - probe.rssBeforeBankMb,
    matchesPerRecord: matches / records.length,
    recordsWithMatch: recordsWithMatch / records.length,
    baselines,
  };
}

interface Probe {
  rssMb: number;
  rssBeforeBankMb: number;
}

function rssProbe(size: number): Probe {
  const script = fileURLToPath(new URL('./rss-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, String(size)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as Probe;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
}

function table(results: SizeResult[]): string {
  const cell = (r: SizeResult, kind: BaselineKind): string => {
    const b = r.baselines.find((x) => x.kind === kind);
    if (b === undefined) return 'n/a';
    if (b.timedOut) return `timed out (${b.records} rec)`;
    if (b.died !== undefined) return `died after ${b.records} rec`;
    const rate = baselineRate(b) as number;
    return `${fmtInt(rate)} (${fmtRatio(r.wallRate / rate)})${b.skipped > 0 ? ` ¹` : ''}`;
  };
  const lines = [
    '| rules | bank build | bank rec/s | bank MB/s | rec/s per CPU-s | RSS (bank) | V8 loop rec/s (bank ×) | re2 loop rec/s (bank ×) | re2-wasm loop rec/s (bank ×) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${fmtInt(r.rules)} | ${r.buildMs.toFixed(0)} ms | ${fmtInt(r.wallRate)} | ${r.mbPerSec.toFixed(0)} | ${fmtInt(r.cpuRate)} ` +
        `| ${r.rssMb.toFixed(0)} MB (${signed(r.bankRssMb)}) | ${cell(r, 'v8')} | ${cell(r, 're2')} | ${cell(r, 're2-wasm')} |`,
    ),
  ];
  const skipped = results.flatMap((r) => r.baselines.filter((b) => b.skipped > 0).map((b) => `${b.kind} at ${r.rules} rules: ${b.skipped}`));
  if (skipped.length > 0) lines.push('', `¹ regexes the engine cannot compile, left out of its loop: ${skipped.join('; ')}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`faultline matcher bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${load()}`);
  const source = await loadBenchRules();
  const background = loadBackground();
  console.log(`rules: ${source.rules.length} from ${source.origin}; ${source.problems.length} load problems`);
  console.log(`background: ${background.origin}`);
  const withSignature = source.rules.filter((r) => r.signature !== undefined).length;
  console.log(`signatures that match their own rule: ${withSignature} of ${source.rules.length}`);

  // Background lines that some rule matches are left out, so that ~1% of records (those with
  // an injected signature) match, as in production logs; the raw background is measured after.
  const full = buildBank(source.rules.map((r) => r.rule)).bank;
  const quiet = withoutMatches(background, (line) => full.match(line).length > 0);
  full.close();
  const lines = background.files.reduce((n, f) => n + f.length, 0);
  console.log(`non-matching background: ${lines - quiet.dropped} of ${lines} lines (${quiet.dropped} matched some rule and were left out)`);

  const sizes = [100, 1000, source.rules.length];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    console.log(`\n== ${size} rules`);
    results.push(await measureSize(source.rules, size, quiet.background, true));
  }
  console.log(`\n== ${source.rules.length} rules, raw background (lines that match some rule left in)`);
  const raw = await measureSize(source.rules, source.rules.length, background, false);

  console.log('\n== multi-literal scanner: Aho-Corasick (used) vs RE2.Set of the atoms, all rules');
  const sample = buildRecords(background, [], { count: 3000, targetBytes: RECORD_BYTES, signatureShare: 0, seed: 5 });
  const cmp = compareLiteralScanners(
    source.rules.map((r) => r.rule),
    sample,
    1500,
  );
  console.log(
    `  ${cmp.atoms} atoms: Aho-Corasick ${fmtInt(cmp.acRecordsPerSec)} rec/s; RE2.Set ` +
      (cmp.setRecordsPerSec === null ? `failed (${cmp.setFailure})` : `${fmtInt(cmp.setRecordsPerSec)} rec/s`) +
      `; same atoms found: ${cmp.sameAtoms ? 'yes' : 'NO'}`,
  );

  const threads = Math.max(2, Number(process.env.BENCH_THREADS ?? usableCores()));
  console.log(`\n== matcher threads: the bank on 1 thread vs the pool's ${threads}, all rules, ${RECORDS} records`);
  const poolRecords = buildRecords(quiet.background, source.rules.flatMap((r) => (r.signature === undefined ? [] : [r.signature])), {
    count: RECORDS,
    targetBytes: RECORD_BYTES,
    signatureShare: SIGNATURE_SHARE,
    seed: 11,
  });
  const pooled = await comparePool(source.rules.map((r) => r.rule), poolRecords, threads, BANK_BUDGET_MS);
  console.log(
    `  1 thread ${fmtInt(pooled.single.recordsPerSecond)} rec/s (${pooled.single.cpuUsPerRecord} µs CPU/record); ` +
      `${threads} threads ${fmtInt(pooled.pool.recordsPerSecond)} rec/s (${pooled.pool.cpuUsPerRecord} µs CPU/record, all threads); ` +
      `${pooled.ratio}x (target ≥ 1.7x on 2 cores); same matches: ${pooled.same ? 'yes' : 'NO'}`,
  );

  const last = results[results.length - 1] as SizeResult;
  const re2 = last.baselines.find((b) => b.kind === 're2');
  const re2Rate = re2 === undefined ? null : baselineRate(re2);
  console.log(`\n== targets at ${last.rules} rules`);
  console.log(`  ≥ 150k rec/s: ${fmtInt(last.wallRate)} wall, ${fmtInt(last.cpuRate)} per CPU-s`);
  console.log(`  ≥ 100x re2 loop: ${re2Rate === null ? 'n/a' : fmtRatio(last.wallRate / re2Rate)}`);
  console.log(`  build ≤ 1 s: ${last.buildMs.toFixed(0)} ms`);
  console.log(`  RSS ≤ 250 MB: ${last.rssMb.toFixed(0)} MB (fresh process: KB + bank + corpus; the bank adds ${last.bankRssMb.toFixed(0)} MB)`);
  console.log(`  raw background (${(raw.recordsWithMatch * 100).toFixed(0)}% of records match): ${fmtInt(raw.wallRate)} rec/s wall, ${fmtInt(raw.cpuRate)} per CPU-s`);

  console.log(`\n${table(results)}`);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s, load average at end ${load()})`);
  // For bench/issue11.ts, which reads the figures of every bench of one run.
  const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, sizes: results, raw, threads: { n: threads, ...pooled } };
  writeFileSync(`${resultsDir}match-${Date.now()}.json`, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
