/**
 * Loads the knowledge base: every rule file under the given paths, checked and normalised.
 * Returns the good rules and every problem; with `strict`, any problem throws instead.
 */
import { readFile } from 'node:fs/promises';
import { findRuleFiles } from './find-files.js';
import { loadRecordText } from './load-record.js';
import type { RecordOutcome } from './load-record.js';
import { RuleLoadError } from './problem-text.js';
import type { LoadResult, Rule, RuleProblem, SkippedFile } from './types.js';

export interface LoadOptions {
  /** Throw a RuleLoadError (after reading everything) when any problem was found. */
  strict?: boolean;
}

/** Files read at once: enough to hide I/O latency, few enough not to hit EMFILE. */
const READ_CONCURRENCY = 32;

export async function loadRules(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const found = await findRuleFiles(paths);
  const problems: RuleProblem[] = [...found.problems];
  const skipped: SkippedFile[] = [];
  const rules: Rule[] = [];
  const fileOfId = new Map<string, string>();

  for (let start = 0; start < found.files.length; start += READ_CONCURRENCY) {
    const batch = found.files.slice(start, start + READ_CONCURRENCY);
    const outcomes = await Promise.all(batch.map(loadFile));
    batch.forEach((file, k) => {
      const outcome = outcomes[k] as RecordOutcome;
      if (outcome.kind === 'skipped') skipped.push({ file, reason: outcome.reason });
      else if (outcome.kind === 'problems') problems.push(...outcome.problems);
      else {
        const { rule } = outcome;
        const first = fileOfId.get(rule.id);
        if (first === undefined) {
          fileOfId.set(rule.id, file);
          rules.push(rule);
        } else {
          problems.push({
            kind: 'duplicate-id',
            file,
            ruleId: rule.id,
            message: `duplicate id "${rule.id}": already defined in ${first}; this file is ignored`,
          });
        }
      }
    });
  }

  if (opts.strict && problems.length > 0) throw new RuleLoadError(problems);
  return { rules, problems, files: found.files.length, skipped };
}

async function loadFile(file: string): Promise<RecordOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'problems', problems: [{ kind: 'io', file, message: `cannot read file: ${message}` }] };
  }
  return loadRecordText(text, file);
}
