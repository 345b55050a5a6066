import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextCheck, setTimeout as nextTimers } from 'node:timers/promises';
import { loadRules } from '../kb/load.js';
import type { LoadResult, Rule, RuleProblem } from '../kb/types.js';
import { buildBank, type BuildResult } from '../match/bank.js';
import type { MatcherBank } from '../match/types.js';
import type { PipelineObserver, RulesReport } from '../pipeline/observer.js';
import { judgeRules } from '../kb/rules-policy.js';

export class RulesUnusableError extends Error {
  override name = 'RulesUnusableError';
  constructor(
    message: string,
    /** Every problem found by the refused load (the log shows the first few). */
    readonly problems: readonly RuleProblem[] = [],
  ) {
    super(message);
  }
}

export interface BankLoadOptions {
  dirs: readonly string[];
  /** Any rule problem is fatal instead of a warning. */
  strict: boolean;
}

/** A bank ready to be swapped in, and what the logs say about it. */
export interface LoadedBank {
  bank: MatcherBank;
  version: string;
  /** Problems of rules that were skipped (never fatal here: a refused load throws). */
  problems: readonly RuleProblem[];
  files: number;
  seconds: number;
}

/**
 * Loads the KB and compiles it: at start, and again for a live reload. The result is reported
 * to the observer whether accepted or not; src/kb/rules-policy.ts decides. Refused: throws
 * RulesUnusableError and closes what it built. Logging is the caller's (rules-log.ts): start-up
 * and reload say different things.
 *
 * The file reads are asynchronous; compiling is one synchronous buildBank call (about 0.5 s at
 * 2,500 rules, a cold process twice that). A yield to the timers and to I/O just before it lets
 * due kafkajs heartbeats and fetch responses through, so a reload blocks the loop once, for the
 * build alone, never for the load and the build together.
 */
export async function loadBank(opts: BankLoadOptions, observer: PipelineObserver): Promise<LoadedBank> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let loaded: LoadResult;
  let built: BuildResult;
  try {
    loaded = await loadRules(opts.dirs);
    await yieldToEventLoop();
    built = buildBank(loaded.rules);
  } catch (err) {
    // Not a rule problem (those come back as problems): the load itself broke.
    observer.rulesLoaded({ ok: false, rules: 0, problems: 0, buildSeconds: seconds(), version: '', ruleInfo: [] });
    throw new RulesUnusableError(`cannot load the rules: ${(err as Error).message}`);
  }
  const problems = [...loaded.problems, ...built.problems];
  const rules = built.bank.rules;
  const verdict = judgeRules({ dirs: opts.dirs, strict: opts.strict, rules: rules.length, problems });
  const report: RulesReport = {
    ok: verdict.accept,
    rules: rules.length,
    problems: problems.length,
    buildSeconds: seconds(),
    version: rulesVersion(rules),
    ruleInfo: rules.map(ruleInfoOf),
  };
  observer.rulesLoaded(report);
  if (!verdict.accept) {
    built.bank.close();
    throw new RulesUnusableError(verdict.why, problems);
  }
  return { bank: built.bank, version: report.version, problems, files: loaded.files, seconds: report.buildSeconds };
}

/** What the metrics show about one rule (faultline_rule_info, per-rule zero series). */
function ruleInfoOf(r: Rule): RulesReport['ruleInfo'][number] {
  const info: RulesReport['ruleInfo'][number] = { id: r.id, domain: r.domain, category: r.category, signals: r.signals };
  if (r.confidence !== undefined) info.confidence = r.confidence;
  if (r.verificationTier !== undefined) info.verificationTier = r.verificationTier;
  if (r.rootCause !== undefined) info.rootCause = r.rootCause;
  if (r.bestWorkaround !== undefined) info.bestWorkaround = { action: r.bestWorkaround.action };
  return info;
}

/**
 * One turn of the event loop: the timers phase (due heartbeats), then poll (I/O), then check.
 * A setImmediate alone would resume before the next timers phase.
 */
async function yieldToEventLoop(): Promise<void> {
  await nextTimers(0);
  await nextCheck();
}

/** Versions by rule list: a bank's list never changes, and every batch asks for its version. */
const versions = new WeakMap<readonly Rule[], string>();

/** A short hash of the rules as loaded: equal rule sets give equal versions whatever the file order. */
export function rulesVersion(rules: readonly Rule[]): string {
  let version = versions.get(rules);
  if (version === undefined) {
    version = hashRules(rules);
    versions.set(rules, version);
  }
  return version;
}

function hashRules(rules: readonly Rule[]): string {
  const hash = createHash('sha256');
  for (const r of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(r.id);
    hash.update('\0');
    hash.update(JSON.stringify(r.record));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}
