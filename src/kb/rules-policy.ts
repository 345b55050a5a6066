import type { RuleProblem } from './types.js';

/**
 * Whether a freshly loaded rule set may become the active bank: the one policy for start-up and
 * for every live reload (docs/deployment.md, "Live rule updates"). Refused, whatever the mode:
 * - no usable rule at all (an empty or missing directory, every file broken): matching nothing
 *   is never what an operator meant;
 * - a configured rules path that could not be read at all: that directory's rules would vanish
 *   silently, and a half-mounted volume is exactly what a live update can run into;
 * - under strict rules, any problem.
 * Otherwise rules with problems are skipped with a warning and the rest is used.
 * A refused load at start-up stops the worker; a refused reload keeps the previous bank.
 */

export interface RulesCandidate {
  /** The configured rules paths (FAULTLINE_RULES). */
  dirs: readonly string[];
  strict: boolean;
  /** Rules that compiled. */
  rules: number;
  problems: readonly RuleProblem[];
}

export type RulesVerdict = { accept: true } | { accept: false; why: string };

export function judgeRules(c: RulesCandidate): RulesVerdict {
  const unreadable = c.problems.filter((p) => p.kind === 'io' && c.dirs.includes(p.file));
  if (unreadable.length > 0) {
    return { accept: false, why: unreadable.map((p) => `${p.file}: ${p.message}`).join('; ') };
  }
  if (c.rules === 0) return { accept: false, why: `no usable rule in ${c.dirs.join(', ')}` };
  if (c.strict && c.problems.length > 0) return { accept: false, why: `${c.problems.length} rule problem(s) and strict rules are on` };
  return { accept: true };
}
