/**
 * Recall of a rule set on the KB holdout (test/kb-holdout/, see its README): the texts go
 * through scan's own reader, decoder and bank, and a positive counts when the rules give it
 * every signal it expects; a hard negative fails when it gets any signal. Entries whose text is
 * among the measured rules' examples are left out (they no longer measure anything) and named.
 *
 *   npm run kb:holdout [-- --rules DIR] [--holdout DIR] [--batch N|N,M,…|old] [--show] [--json]
 *
 * `--batch N` measures only the entries of collection N (`"batch": N`), `--batch 3,4` those of
 * either collection as one set, `--batch old` only those
 * without a batch (the first two collections): a later batch stays honest after the rule
 * authors have seen the misses of the earlier ones.
 * Misses are listed by id, ecosystem and library; `--show` adds their texts. Exit codes: 0
 * report printed, 2 unusable holdout or rules, bad usage.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIo } from '../src/cli/rules-check.js';
import { problemLine } from '../src/kb/problem-text.js';
import { batchLabel, DEFAULT_HOLDOUT_DIR, inBatch, loadHoldout, parseBatch, type BatchSelector } from './holdout/entries.js';
import { loadBank, measureEntries, overlapsWithRules, ScanPath } from './holdout/measure.js';
import { renderReport, summarise, type HoldoutSummary } from './holdout/report.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DEFAULT_RULES_DIR = path.join(REPO_ROOT, 'rules');

export interface HoldoutRun {
  summary: HoldoutSummary;
  rulesDir: string;
  rules: number;
  ruleProblems: string[];
  /** The batch measured; undefined for the whole holdout. */
  batch?: BatchSelector;
}

/**
 * Measures the rules in `rulesDir` on the holdout in `holdoutDir` (only batch `batch` when given);
 * throws on a malformed holdout. The whole holdout is validated even when one batch is measured.
 */
export async function runHoldout(rulesDir: string = DEFAULT_RULES_DIR, holdoutDir: string = DEFAULT_HOLDOUT_DIR, batch?: BatchSelector): Promise<HoldoutRun> {
  const holdout = await loadHoldout(holdoutDir);
  if (holdout.problems.length > 0) {
    throw new Error(`the holdout is malformed:\n${holdout.problems.map((p) => `${p.file}:${p.line}${p.id ? ` ${p.id}` : ''}: ${p.message}`).join('\n')}`);
  }
  const selected = batch === undefined ? holdout : { positives: holdout.positives.filter((e) => inBatch(e, batch)), negatives: holdout.negatives.filter((e) => inBatch(e, batch)) };
  const loaded = await loadBank(rulesDir);
  try {
    const scan = new ScanPath();
    const positives = await measureEntries(selected.positives, loaded, scan);
    const negatives = await measureEntries(selected.negatives, loaded, scan);
    const excluded = new Set(overlapsWithRules([...selected.positives, ...selected.negatives], loaded.rules).keys());
    return {
      summary: summarise(positives, negatives, excluded),
      rulesDir,
      rules: loaded.rules.length,
      ruleProblems: loaded.problems.map(problemLine),
      ...(batch === undefined ? {} : { batch }),
    };
  } finally {
    loaded.bank.close();
  }
}

function asJson(run: HoldoutRun): unknown {
  const s = run.summary;
  const strip = (r: (typeof s.misses)[number]) => ({ id: r.entry.id, ecosystem: r.entry.ecosystem, library: r.entry.library, expected: r.entry.signals, got: r.got, rules: r.ruleIds });
  return {
    rules: { dir: run.rulesDir, count: run.rules, problems: run.ruleProblems },
    batch: run.batch ?? 'all',
    positives: s.positives,
    negatives: s.negatives,
    excluded: s.excluded,
    overall: s.overall,
    perSignal: s.perSignal,
    perEcosystem: Object.fromEntries(s.perEcosystem),
    perLocale: Object.fromEntries(s.perLocale),
    negativeHits: s.negativeHits.map(strip),
    misses: s.misses.map(strip),
  };
}

export async function runKbHoldout(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: { rules: { type: 'string' }, holdout: { type: 'string' }, batch: { type: 'string' }, show: { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    io.stderr.write(`kb-holdout: ${(err as Error).message}\n`);
    return 2;
  }
  const batch = args.batch === undefined ? undefined : parseBatch(args.batch);
  if (args.batch !== undefined && batch === undefined) {
    io.stderr.write(`kb-holdout: --batch takes a positive integer, a comma-separated list of them (3,4,5) or "old", not ${JSON.stringify(args.batch)}\n`);
    return 2;
  }
  const rulesDir = path.resolve(args.rules ?? DEFAULT_RULES_DIR);
  let run: HoldoutRun;
  try {
    run = await runHoldout(rulesDir, path.resolve(args.holdout ?? DEFAULT_HOLDOUT_DIR), batch);
  } catch (err) {
    io.stderr.write(`kb-holdout: ${(err as Error).message}\n`);
    return 2;
  }
  for (const p of run.ruleProblems) io.stderr.write(`kb-holdout: skipped rule: ${p}\n`);
  if (args.json) {
    io.stdout.write(`${JSON.stringify(asJson(run), null, 2)}\n`);
  } else {
    const batchNote = batch === undefined ? '' : batch === 'old' ? ', batch old (entries without a batch)' : `, batch ${batchLabel(batch)}`;
    const title = `KB holdout${batchNote}, rules ${path.relative(process.cwd(), rulesDir) || rulesDir} (${run.rules} rules)`;
    io.stdout.write(renderReport(run.summary, { show: args.show === true, title }));
  }
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runKbHoldout(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
