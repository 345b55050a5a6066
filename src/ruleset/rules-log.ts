import type { RuleProblem } from '../kb/types.js';
import type { Logger } from '../log.js';
import type { LoadedBank } from './load-bank.js';

/**
 * What the worker logs about its rules. Start-up lists the first problems one per line (an
 * operator reads them once, at the top of the log); a live reload says everything in a single
 * line, so that a watcher-triggered reload is one event to grep and alert on.
 */

/** Problems listed in full at start-up; the rest are counted. */
const START_PROBLEM_LINES = 20;
/** Problems quoted in a reload's one line. */
const RELOAD_PROBLEMS_SHOWN = 5;

export function logStartProblems(logger: Logger, problems: readonly RuleProblem[]): void {
  for (const p of problems.slice(0, START_PROBLEM_LINES)) {
    logger.warn({ event: 'rule-problem', kind: p.kind, file: p.file, ruleId: p.ruleId }, p.message);
  }
}

export function logRulesLoaded(logger: Logger, loaded: LoadedBank): void {
  const rules = loaded.bank.rules.length;
  logger.info(
    { event: 'rules-loaded', rules, problems: loaded.problems.length, files: loaded.files, version: loaded.version, buildSeconds: round3(loaded.seconds), ...(loaded.cache === undefined ? {} : { cache: loaded.cache }) },
    `loaded ${rules} rule(s)${loaded.problems.length > 0 ? `, skipped ${loaded.problems.length} problem(s)` : ''}`,
  );
}

export interface ReloadOutcome {
  trigger: string;
  /** The version that was active before (and, after a failure, still is). */
  previousVersion: string;
  ms: number;
}

export function logReloaded(logger: Logger, loaded: LoadedBank, o: ReloadOutcome): void {
  const rules = loaded.bank.rules.length;
  const skipped = loaded.problems.length;
  const fields = {
    event: 'rules-reloaded',
    trigger: o.trigger,
    rules,
    version: loaded.version,
    previousVersion: o.previousVersion,
    ms: Math.round(o.ms),
    problems: skipped,
    ...(skipped > 0 ? { firstProblems: problemTexts(loaded.problems) } : {}),
  };
  const changed = loaded.version === o.previousVersion ? 'unchanged' : `was ${o.previousVersion}`;
  const msg = `rules reloaded (${o.trigger}): ${rules} rule(s), version ${loaded.version} (${changed}), ${fields.ms} ms`;
  if (skipped > 0) logger.warn(fields, `${msg}; skipped ${skipped} problem(s): ${problemTexts(loaded.problems).join('; ')}`);
  else logger.info(fields, msg);
}

export function logReloadFailed(logger: Logger, why: string, problems: readonly RuleProblem[], o: ReloadOutcome): void {
  const shown = problemTexts(problems);
  logger.error(
    {
      event: 'reload-failed',
      trigger: o.trigger,
      error: why,
      version: o.previousVersion,
      ms: Math.round(o.ms),
      problems: problems.length,
      ...(shown.length > 0 ? { firstProblems: shown } : {}),
    },
    `rule reload failed (${o.trigger}): ${why}; keeping version ${o.previousVersion}${shown.length > 0 ? `. First problems: ${shown.join('; ')}` : ''}`,
  );
}

function problemTexts(problems: readonly RuleProblem[]): string[] {
  return problems.slice(0, RELOAD_PROBLEMS_SHOWN).map((p) => `${p.file}${p.ruleId === undefined ? '' : ` (${p.ruleId})`}: ${p.message}`);
}

function round3(n: number): number {
  return Number(n.toFixed(3));
}
