import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadRules } from '../kb/load.js';
import type { Rule } from '../kb/types.js';
import type { Logger } from '../log.js';
import { buildBank } from '../match/bank.js';
import type { MatcherBank } from '../match/types.js';
import type { PipelineObserver, RulesReport } from '../pipeline/observer.js';

export class RulesUnusableError extends Error {
  override name = 'RulesUnusableError';
}

export interface BankLoadOptions {
  dirs: readonly string[];
  /** Any rule problem is fatal instead of a warning. */
  strict: boolean;
}

/**
 * Loads the KB and compiles it: at start, and again for a live reload. Problems are logged (a
 * summary line and the first few in full) and reported; a bank with no rule at all, or any
 * problem under `strict`, is refused.
 */
export async function loadBank(opts: BankLoadOptions, logger: Logger, observer: PipelineObserver): Promise<MatcherBank> {
  const started = performance.now();
  const loaded = await loadRules(opts.dirs);
  const built = buildBank(loaded.rules);
  const problems = [...loaded.problems, ...built.problems];
  const report: RulesReport = {
    ok: problems.length === 0 || !opts.strict,
    rules: built.bank.rules.length,
    problems: problems.length,
    buildSeconds: (performance.now() - started) / 1000,
    version: rulesVersion(built.bank.rules),
    ruleInfo: built.bank.rules.map((r) => {
      const info: RulesReport['ruleInfo'][number] = { id: r.id, domain: r.domain, category: r.category, signals: r.signals };
      if (r.confidence !== undefined) info.confidence = r.confidence;
      if (r.verificationTier !== undefined) info.verificationTier = r.verificationTier;
      return info;
    }),
  };
  for (const p of problems.slice(0, 20)) {
    logger.warn({ event: 'rule-problem', kind: p.kind, file: p.file, ruleId: p.ruleId }, p.message);
  }
  const fail = (why: string): never => {
    built.bank.close();
    observer.rulesLoaded({ ...report, ok: false });
    throw new RulesUnusableError(why);
  };
  if (opts.strict && problems.length > 0) fail(`${problems.length} rule problem(s) and strict rules are on`);
  if (built.bank.rules.length === 0) fail(`no usable rule in ${opts.dirs.join(', ')}`);
  observer.rulesLoaded(report);
  logger.info(
    { event: 'rules-loaded', rules: report.rules, problems: report.problems, files: loaded.files, version: report.version, buildSeconds: Number(report.buildSeconds.toFixed(3)) },
    `loaded ${report.rules} rule(s)${problems.length > 0 ? `, skipped ${problems.length} problem(s)` : ''}`,
  );
  return built.bank;
}

/** A short hash of the rules as loaded: equal rule sets give equal versions whatever the file order. */
export function rulesVersion(rules: readonly Rule[]): string {
  const hash = createHash('sha256');
  for (const r of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(r.id);
    hash.update('\0');
    hash.update(JSON.stringify(r.record));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}
