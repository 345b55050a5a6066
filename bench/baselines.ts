/**
 * The rule-by-rule baselines, each bounded in time: V8 and re2-wasm in a worker
 * (baseline-worker.ts) that is stopped if a regex hangs, native re2 in this thread.
 */
import { Worker } from 'node:worker_threads';
import RE2 from 're2';
import type { BaselineJob, BaselineReport, WorkerBaselineKind } from './baseline-worker.js';
import { compileRules, ruleByRule } from './rule-loop.js';

export type BaselineKind = WorkerBaselineKind | 're2';

export interface BaselineResult extends BaselineReport {
  kind: BaselineKind;
  /** Set when the worker had to be stopped: one record took longer than the grace time. */
  timedOut?: boolean;
  /** Lines the engine printed (re2-wasm: one per failed allocation). */
  outputLines?: number;
}

/** Workers do not inherit tsx's loader: start them through a one-line module that registers it. */
function tsWorker(file: URL, workerData: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(file.href)});`;
  // Own stdio: re2-wasm prints a line per failed allocation; only the count is reported.
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData, stdout: true, stderr: true });
}

function inWorker(kind: WorkerBaselineKind, rules: string[][], records: string[], budgetMs: number): Promise<BaselineResult> {
  const progress = new SharedArrayBuffer(4);
  const job: BaselineJob = { kind, rules, records, budgetMs, progress };
  const worker = tsWorker(new URL('./baseline-worker.ts', import.meta.url), job);
  let outputLines = 0;
  for (const stream of [worker.stdout, worker.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (outputLines += chunk.split('\n').length - 1));
  }
  const started = performance.now();
  const stopped = (extra: Partial<BaselineResult>): BaselineResult => ({
    kind,
    records: Atomics.load(new Int32Array(progress), 0),
    ms: performance.now() - started,
    matches: 0,
    compiled: 0,
    skipped: 0,
    outputLines,
    ...extra,
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(stopped({ timedOut: true }));
    }, budgetMs * 3 + 15_000);
    worker.once('message', (report: BaselineReport) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ kind, ...report, outputLines });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      resolve(stopped({ died: err.message }));
    });
  });
}

export async function runBaseline(kind: BaselineKind, rules: string[][], records: string[], budgetMs: number): Promise<BaselineResult> {
  if (kind !== 're2') return inWorker(kind, rules, records, budgetMs);
  const { testers, compiled, skipped } = compileRules(rules, (regex) => new RE2(regex, 'u'));
  return { kind, ...ruleByRule(testers, records, budgetMs), compiled, skipped };
}
