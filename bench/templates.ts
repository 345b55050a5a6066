/**
 * `npm run bench:templates`: grouping accuracy (GA, Zhu et al., ICSE-SEIP 2019) of faultline's
 * template miner on the 16 loghub 2k files, side by side with Drain3 from PyPI at its default
 * settings in the same run, and the miner's rate (records per CPU-second, one core).
 *
 * Drain3 is installed into a throw-away virtual environment (deleted afterwards) unless
 * BENCH_DRAIN3_PYTHON names a Python that has it; BENCH_NO_DRAIN3=1 skips it.
 * Ground truth: ../shared/data/loghub/structured (one record per line, the Content column as the
 * message). Without ../shared there is nothing to measure, and the bench says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MINER_OPTIONS, TemplateMiner } from '../src/templates/miner.js';
import { groupingAccuracy } from './templates/grouping-accuracy.js';
import { STRUCTURED_DIR, loadLabelledSystems, type LabelledSystem } from './templates/loghub-truth.js';

const DRAIN3_VERSION = '0.9.11';
const DRAIN3_SCRIPT = fileURLToPath(new URL('./templates/drain3_groups.py', import.meta.url));

interface Drain3Result {
  systems: Record<string, string[]>;
  version: string;
  seconds: number;
  messages: number;
}

function runDrain3(systems: readonly LabelledSystem[]): Drain3Result | string {
  if (process.env.BENCH_NO_DRAIN3 === '1') return 'skipped (BENCH_NO_DRAIN3=1)';
  let venv: string | undefined;
  let python = process.env.BENCH_DRAIN3_PYTHON;
  try {
    if (python === undefined) {
      venv = mkdtempSync(join(tmpdir(), 'faultline-drain3-'));
      process.stderr.write(`bench:templates: installing drain3==${DRAIN3_VERSION} into a throw-away venv ${venv}\n`);
      execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
      python = join(venv, 'bin', 'python');
      execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `drain3==${DRAIN3_VERSION}`], { stdio: 'inherit' });
    }
    const input = JSON.stringify({ systems: Object.fromEntries(systems.map((s) => [s.system, s.messages])) });
    const r = spawnSync(python, [DRAIN3_SCRIPT], { input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`}`;
    return JSON.parse(r.stdout) as Drain3Result;
  } catch (err) {
    return `not run: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    if (venv !== undefined) rmSync(venv, { recursive: true, force: true });
  }
}

/** Records per CPU-second of the miner alone over all messages: best of `rounds`, after a warm-up. */
function minerRate(systems: readonly LabelledSystem[], rounds = 5): { best: number; median: number; messages: number } {
  const all = systems.flatMap((s) => s.messages);
  const rates: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const miner = new TemplateMiner();
    const t0 = process.cpuUsage();
    for (const m of all) miner.add(m);
    const t = process.cpuUsage(t0);
    if (r > 0) rates.push(all.length / ((t.user + t.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  return { best: rates.at(-1)!, median: rates[Math.floor(rates.length / 2)]!, messages: all.length };
}

function main(): void {
  const systems = loadLabelledSystems();
  if (systems.length === 0) {
    console.log(`bench:templates: ${STRUCTURED_DIR} not found (a fresh clone has no ../shared): nothing to measure`);
    return;
  }
  const drain3 = runDrain3(systems);
  const rows: string[] = [];
  let oursSum = 0;
  let theirsSum = 0;
  let ahead = 0;
  let tied = 0;
  for (const s of systems) {
    const miner = new TemplateMiner();
    const ids = s.messages.map((m) => miner.add(m).id);
    const ours = groupingAccuracy(s.eventIds, ids);
    oursSum += ours;
    const truthTemplates = new Set(s.eventIds).size;
    let theirsCell = '—';
    let theirTemplates = '—';
    if (typeof drain3 !== 'string') {
      const theirIds = drain3.systems[s.system] ?? [];
      const theirs = groupingAccuracy(s.eventIds, theirIds);
      theirsSum += theirs;
      if (ours > theirs + 1e-9) ahead++;
      else if (Math.abs(ours - theirs) <= 1e-9) tied++;
      theirsCell = theirs.toFixed(3);
      theirTemplates = String(new Set(theirIds).size);
    }
    rows.push(`| ${s.system} | ${ours.toFixed(3)} | ${theirsCell} | ${truthTemplates} | ${miner.size} | ${theirTemplates} |`);
  }
  const n = systems.length;
  const rate = minerRate(systems);
  console.log(`grouping accuracy on ${n} loghub 2k files (${STRUCTURED_DIR}); faultline miner defaults ${JSON.stringify(DEFAULT_MINER_OPTIONS)}`);
  console.log('');
  console.log('| system | faultline GA | Drain3 GA | templates (truth) | faultline | Drain3 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  const theirsAvg = typeof drain3 === 'string' ? '—' : (theirsSum / n).toFixed(3);
  console.log(`| **average** | **${(oursSum / n).toFixed(3)}** | **${theirsAvg}** | | | |`);
  console.log('');
  if (typeof drain3 === 'string') console.log(`Drain3: ${drain3}`);
  else {
    console.log(`Drain3 ${drain3.version} (defaults): ${Math.round(drain3.messages / drain3.seconds)} records per CPU-second`);
    console.log(`faultline ahead of Drain3 on ${ahead} of ${n} systems${tied > 0 ? `, tied on ${tied}` : ''}`);
  }
  console.log(
    `faultline miner alone: ${Math.round(rate.best)} records per CPU-second (best of 5; median ${Math.round(rate.median)}), ` +
      `${rate.messages} messages of all 16 systems through one miner`,
  );
}

main();
