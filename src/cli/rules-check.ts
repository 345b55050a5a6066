/**
 * `faultline rules check`: load the rule directories and list every problem, one per line, then
 * a summary. Exit code 1 when there is any problem, so CI can gate rule changes on it.
 */
import { loadRules } from '../kb/load.js';
import { problemLine } from '../kb/problem-text.js';
import type { LoadResult } from '../kb/types.js';

/** Where a command writes; `{ stdout: process.stdout, stderr: process.stderr }` in the CLI. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface RulesCheckOptions {
  rules: string[];
  format: 'text' | 'json';
}

export async function runRulesCheck(opts: RulesCheckOptions, io: CliIo): Promise<number> {
  const result = await loadRules(opts.rules);
  if (opts.format === 'json') io.stdout.write(`${JSON.stringify(checkReport(result), null, 2)}\n`);
  else {
    for (const problem of result.problems) io.stdout.write(`${problemLine(problem)}\n`);
    for (const skip of result.skipped ?? []) io.stdout.write(`${skip.file}: skipped: ${skip.reason}\n`);
    io.stdout.write(`${loadSummary(result)}\n`);
  }
  return result.problems.length > 0 ? 1 : 0;
}

/** "12 rules in 13 files, 1 problem" */
export function loadSummary(result: LoadResult): string {
  return `${count(result.rules.length, 'rule')} in ${count(result.files, 'file')}, ${count(result.problems.length, 'problem')}`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function checkReport(result: LoadResult): Record<string, unknown> {
  return {
    rules: result.rules.length,
    files: result.files,
    problems: result.problems,
    skipped: result.skipped ?? [],
  };
}
