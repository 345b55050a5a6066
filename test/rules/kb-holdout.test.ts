/**
 * The KB holdout (test/kb-holdout/, see its README): its files are well-formed, and no hard
 * negative gets a signal from rules/ — that gate holds in CI. Recall on the positives is
 * reported by `npm run kb:holdout`, not asserted here: the lead decides what it must reach.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNALS } from '../../src/kb/types.js';
import { DEFAULT_HOLDOUT_DIR, entryProblems, inBatch, loadHoldout, NEGATIVES_FILE, parseBatch, POSITIVES_FILE, type HoldoutEntry } from '../../scripts/holdout/entries.js';
import { runHoldout, runKbHoldout } from '../../scripts/kb-holdout.js';
import { captureIo } from '../cli/capture-io.js';
import { flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { REPO_ROOT, REPO_RULES_DIR } from './kb-corpus.js';

afterEach(removeRulesDirs);

const positive = (id: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  text,
  source: 'https://github.com/example/repo/issues/1',
  signals: ['pool-starvation'],
  ecosystem: 'java',
  library: 'examplepool',
  how_found: 'example query',
  ...extra,
});
const negative = (id: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...positive(id, text, extra), signals: [] });
const jsonl = (rows: readonly unknown[]): string => rows.map((r) => `${typeof r === 'string' ? r : JSON.stringify(r)}\n`).join('');

/** A holdout directory (positives, negatives) inside a fresh temporary directory. */
async function holdoutDir(positives: readonly unknown[], negatives: readonly unknown[]): Promise<string> {
  const dir = await rulesDir({});
  await writeFile(path.join(dir, POSITIVES_FILE), jsonl(positives));
  await writeFile(path.join(dir, NEGATIVES_FILE), jsonl(negatives));
  return dir;
}

describe('test/kb-holdout', () => {
  it('is well-formed: fields, signals from the vocabulary, http(s) sources, unique ids and texts', async () => {
    const holdout = await loadHoldout(DEFAULT_HOLDOUT_DIR);
    expect(holdout.problems).toEqual([]);
    expect(holdout.positives.length).toBeGreaterThan(0);
    expect(holdout.negatives.length).toBeGreaterThan(0);
    for (const e of holdout.positives) for (const s of e.signals) expect(SIGNALS).toContain(s);
  });

  it('gives no hard negative a signal with the rules in rules/ (the precision gate)', { timeout: 120_000 }, async () => {
    const run = await runHoldout(REPO_RULES_DIR, DEFAULT_HOLDOUT_DIR);
    const hits = run.summary.negativeHits
      .filter((r) => !(r.entry.id in KNOWN_FALSE_POSITIVES))
      .map((r) => `${r.entry.id} (${r.entry.library}): ${r.got.join('+')} from ${r.ruleIds.join(', ')}`);
    expect(hits).toEqual([]);
  });
});

/**
 * Hard negatives that the rules are known to give a signal, each with the reason it is not fixed.
 * The gate fails on any other hit; the README's holdout section reports these as false positives
 * (they stay in the holdout so its precision figure is honest, not trimmed after the fact).
 */
const KNOWN_FALSE_POSITIVES: Readonly<Record<string, string>> = {
  // None at present: neg-0312 (a JDK EMFILE whose fork frames a blank line separated from it) and
  // neg-0396 (a Celery hard time limit) were fixed in scan's reader and in the rule.
};

describe('the holdout checks (scripts/holdout/entries.ts)', () => {
  it('accepts a well-formed entry of each kind', () => {
    expect(entryProblems(positive('pos-0001', 'x'), 'positive')).toEqual([]);
    expect(entryProblems(negative('neg-0001', 'x'), 'negative')).toEqual([]);
    expect(entryProblems(positive('pos-0002', 'x', { locale: 'zh-CN' }), 'positive')).toEqual([]);
    expect(entryProblems(positive('pos-0003', 'x', { batch: 3 }), 'positive')).toEqual([]);
  });

  it('takes an optional batch that is a positive integer, and selects by batch (old = none)', () => {
    for (const bad of [0, -1, 2.5, '3', null]) {
      expect(entryProblems(positive('pos-0001', 'x', { batch: bad }), 'positive')).toEqual(['"batch" must be a positive integer']);
    }
    expect([parseBatch('3'), parseBatch('old'), parseBatch('0'), parseBatch('3x'), parseBatch('')]).toEqual([3, 'old', undefined, undefined, undefined]);
    const old = positive('pos-0001', 'x') as unknown as HoldoutEntry;
    const third = positive('pos-0002', 'y', { batch: 3 }) as unknown as HoldoutEntry;
    expect([inBatch(old, 'old'), inBatch(old, 3), inBatch(third, 'old'), inBatch(third, 3), inBatch(third, 4)]).toEqual([true, false, false, true, false]);
    expect([parseBatch('3,4'), parseBatch('4,3,4'), parseBatch('3,'), parseBatch('3,0'), parseBatch('old,3')]).toEqual([[3, 4], [4, 3], undefined, undefined, undefined]);
    expect([inBatch(old, [3, 4]), inBatch(third, [3, 4]), inBatch(third, [4, 5])]).toEqual([false, true, false]);
  });

  it('names every problem of a bad entry', () => {
    const bad = { ...positive('p-1', ''), signals: ['pool-starvation', 'pool-starvation', 'disk-full'], source: 'ftp://x', ecosystem: 'Java', extra: 1 };
    const problems = entryProblems(bad, 'positive');
    for (const needle of ['unknown field "extra"', '"text" must be', '"id" "p-1"', 'not an http(s) URL', 'lower-case name', 'twice', '"disk-full" is not one of']) {
      expect(problems.join('\n')).toContain(needle);
    }
    expect(entryProblems(negative('neg-0001', 'x'), 'positive').join('\n')).toMatch(/pos-|at least one signal/);
    expect(entryProblems(positive('neg-0001', 'x'), 'negative').join('\n')).toContain('a hard negative has no signals');
    expect(entryProblems([], 'positive')).toEqual(['not a JSON object']);
  });

  it('reports invalid JSON, duplicate ids and duplicate texts (whitespace and case ignored) with file and line', async () => {
    const dir = await holdoutDir(
      [positive('pos-0001', 'Pool  exhausted'), '{not json', positive('pos-0001', 'other')],
      [negative('neg-0001', 'pool EXHAUSTED')],
    );
    const { problems } = await loadHoldout(dir);
    const text = problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.id ?? ''} ${p.message}`).join('\n');
    expect(text).toContain(`${POSITIVES_FILE}:2  invalid JSON`);
    expect(text).toContain('pos-0001 id used twice');
    expect(text).toContain('neg-0001 same text as pos-0001');
  });
});

describe('npm run kb:holdout (scripts/kb-holdout.ts)', () => {
  /** Rules for the small holdout below: one gives pool-starvation, one (wrongly) flags a benign line. */
  const rules = {
    'java/pool.json': flatRecord({ id: 'java/pool', regex: 'pool exhausted', tags: ['pool-starvation', 'examplepool'] }),
    'java/noisy.json': flatRecord({ id: 'java/noisy', regex: 'pool started', tags: ['socket-exhaustion'] }),
  };

  it('measures recall through scan’s reader and decoder, lists misses without their texts unless --show', async () => {
    const rulesPath = await rulesDir(rules);
    const holdout = await holdoutDir(
      [
        // A JSON log record: scan decodes the message field before matching.
        positive('pos-0001', JSON.stringify({ level: 'error', msg: 'the pool exhausted, giving up' }), { ecosystem: 'node' }),
        positive('pos-0002', 'threads all busy SECRET-TEXT', { signals: ['thread-starvation'] }),
        positive('pos-0003', 'pool exhausted while waiting', { locale: 'de-DE' }),
      ],
      [negative('neg-0001', 'INFO pool started with 10 connections'), negative('neg-0002', 'pool closed')],
    );
    const cap = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout], cap.io)).toBe(0);
    const out = cap.stdout();
    expect(out).toContain('3 positives, 2 hard negatives');
    expect(out).toContain('| `pool-starvation` | 2/2 (100.0%) |');
    expect(out).toContain('| `thread-starvation` | 0/1 (0.0%) |');
    expect(out).toContain('| **all positives** (every expected signal) | **2/3 (66.7%)** |');
    expect(out).toContain('| **hard negatives with a signal** | **1/2** |');
    expect(out).toContain('| node | 1/1 (100.0%) |');
    expect(out).toContain('| de-DE | 1/1 (100.0%) |');
    expect(out).toContain('- neg-0001 · java · examplepool · expected none, got socket-exhaustion (java/noisy)');
    expect(out).toContain('- pos-0002 · java · examplepool · expected thread-starvation, got none');
    expect(out).not.toContain('SECRET-TEXT');

    const shown = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout, '--show'], shown.io)).toBe(0);
    expect(shown.stdout()).toContain('SECRET-TEXT');
  });

  it('leaves out entries whose text or source the rules’ examples hold, and says which', async () => {
    const rulesPath = await rulesDir({
      'java/pool.json': flatRecord({
        id: 'java/pool',
        regex: 'pool exhausted',
        tags: ['pool-starvation'],
        examples: { match: [{ text: 'ERROR the connection pool exhausted right now', source: 'https://github.com/seen/before/issues/7' }], no_match: [] },
      }),
    });
    const holdout = await holdoutDir(
      [
        positive('pos-0001', 'the connection pool exhausted right now'),
        positive('pos-0002', 'another pool exhausted line', { source: 'https://github.com/seen/before/issues/7#issuecomment-1' }),
        positive('pos-0003', 'fresh pool exhausted line from elsewhere'),
      ],
      [negative('neg-0001', 'benign')],
    );
    const cap = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout], cap.io)).toBe(0);
    expect(cap.stdout()).toContain('2 left out because the rules\' examples hold their text or cite their source (pos-0001, pos-0002)');
    expect(cap.stdout()).toContain('| **all positives** (every expected signal) | **1/1 (100.0%)** |');
  });

  it('measures one batch with --batch N, the entries without a batch with --batch old', async () => {
    const rulesPath = await rulesDir(rules);
    const holdout = await holdoutDir(
      [
        positive('pos-0001', 'pool exhausted, first collection'),
        positive('pos-0002', 'threads all busy, first collection', { signals: ['thread-starvation'] }),
        positive('pos-0003', 'pool exhausted, third collection', { batch: 3 }),
      ],
      [negative('neg-0001', 'pool started, first collection'), negative('neg-0002', 'pool closed, third collection', { batch: 3 })],
    );
    const third = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout, '--batch', '3'], third.io)).toBe(0);
    expect(third.stdout()).toContain(', batch 3, rules');
    expect(third.stdout()).toContain('1 positives, 1 hard negatives');
    expect(third.stdout()).toContain('| **all positives** (every expected signal) | **1/1 (100.0%)** |');
    expect(third.stdout()).toContain('| **hard negatives with a signal** | **0/1** |');
    const old = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout, '--batch', 'old'], old.io)).toBe(0);
    expect(old.stdout()).toContain('2 positives, 1 hard negatives');
    expect(old.stdout()).toContain('| **all positives** (every expected signal) | **1/2 (50.0%)** |');
    expect(old.stdout()).toContain('| **hard negatives with a signal** | **1/1** |');
    const json = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout, '--batch', '4', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ batch: 4, positives: 0, negatives: 0 });
    const several = captureIo();
    expect(await runKbHoldout(['--rules', rulesPath, '--holdout', holdout, '--batch', '3,4'], several.io)).toBe(0);
    expect(several.stdout()).toContain(', batch 3+4, rules');
    expect(several.stdout()).toContain('1 positives, 1 hard negatives');
    const bad = captureIo();
    expect(await runKbHoldout(['--holdout', holdout, '--batch', 'new'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain('--batch takes a positive integer, a comma-separated list of them (3,4,5) or "old"');
  });

  it('refuses a malformed holdout and bad usage with exit code 2', async () => {
    const holdout = await holdoutDir([{ id: 'pos-0001' }], []);
    const cap = captureIo();
    expect(await runKbHoldout(['--holdout', holdout], cap.io)).toBe(2);
    expect(cap.stderr()).toContain('the holdout is malformed');
    const usage = captureIo();
    expect(await runKbHoldout(['--bogus'], usage.io)).toBe(2);
  });

  it('runs as a command and prints JSON with --json', { timeout: 60_000 }, async () => {
    const rulesPath = await rulesDir(rules);
    const holdout = await holdoutDir([positive('pos-0001', 'pool exhausted')], [negative('neg-0001', 'pool started')]);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/kb-holdout.ts', '--json', '--rules', rulesPath, '--holdout', holdout], {
      cwd: REPO_ROOT,
    });
    const report = JSON.parse(stdout) as { overall: { entries: number; hit: number }; negativeHits: { id: string; text?: string }[] };
    expect(report.overall).toEqual({ entries: 1, hit: 1 });
    expect(report.negativeHits.map((h) => h.id)).toEqual(['neg-0001']);
    expect(report.negativeHits[0]).not.toHaveProperty('text');
  });
});
