/**
 * Runs the V8 or re2-wasm rule-by-rule baseline in a worker thread, so that a V8 regex that
 * backtracks for minutes or a re2-wasm abort cannot take the bench down: the parent reads
 * progress from shared memory and terminates us on timeout. (The native re2 baseline runs in
 * the main thread: it is linear-time, and native addons do not always survive worker teardown.)
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { compileRules, ruleByRule, type LoopReport, type Tester } from './rule-loop.js';
import { toV8RegExp } from './v8-regex.js';

export type WorkerBaselineKind = 'v8' | 're2-wasm';

export interface BaselineJob {
  kind: WorkerBaselineKind;
  /** Per rule, its regexes (RE2 syntax). */
  rules: string[][];
  records: string[];
  budgetMs: number;
  /** progress[0]: records done so far. */
  progress: SharedArrayBuffer;
}

export interface BaselineReport extends LoopReport {
  compiled: number;
  skipped: number;
}

type WasmRE2 = new (pattern: string, flags: string) => Tester;

function compiler(kind: WorkerBaselineKind): (regex: string) => Tester | null {
  if (kind === 'v8') return toV8RegExp;
  const require = createRequire(import.meta.url);
  const { RE2: Wasm } = require('re2-wasm') as { RE2: WasmRE2 };
  return (regex) => new Wasm(regex, 'u');
}

function run(job: BaselineJob): BaselineReport {
  const progress = new Int32Array(job.progress);
  const { testers, compiled, skipped } = compileRules(job.rules, compiler(job.kind));
  const report = ruleByRule(testers, job.records, job.budgetMs, (done) => Atomics.store(progress, 0, done));
  return { ...report, compiled, skipped };
}

parentPort?.postMessage(run(workerData as BaselineJob));
