/** How a load problem reads on one line, the same in logs, errors and `faultline rules check`. */
import type { RuleProblem } from './types.js';

export function problemLine(problem: RuleProblem): string {
  return `${problem.file}: ${problem.ruleId ?? '(no id)'}: ${problem.message}`;
}

/** Thrown by `loadRules(…, { strict: true })` when any file had a problem. */
export class RuleLoadError extends Error {
  constructor(readonly problems: readonly RuleProblem[]) {
    const shown = problems.slice(0, 20).map(problemLine);
    const more = problems.length > shown.length ? [`… and ${problems.length - shown.length} more`] : [];
    super([`${problems.length} problem(s) loading rules:`, ...shown, ...more].join('\n'));
    this.name = 'RuleLoadError';
  }
}
