import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextCheck, setTimeout as nextTimers } from 'node:timers/promises';
import { readRuleFiles, rulesFromFiles, type ReadRules } from '../kb/load.js';
import type { LoadResult, Rule, RuleProblem } from '../kb/types.js';
import { bankFromPlan, buildBank, planBank, prefilterOfPlan, type BuildResult } from '../match/bank.js';
import { adoptFoldTable, foldTable } from '../match/case-fold.js';
import { PrefilterIndex } from '../match/prefilter-index.js';
import type { MatcherBank } from '../match/types.js';
import type { PipelineObserver, RulesReport } from '../pipeline/observer.js';
import { judgeRules } from '../kb/rules-policy.js';
import { cacheKey, readCached, writeCached, type BankCacheOptions } from './bank-cache.js';

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
  /** Where loaded and planned rule sets are kept between starts (bank-cache.ts); none: always built. */
  cache?: BankCacheOptions;
}

/** A bank ready to be swapped in, and what the logs say about it. */
export interface LoadedBank {
  bank: MatcherBank;
  version: string;
  /** Problems of rules that were skipped (never fatal here: a refused load throws). */
  problems: readonly RuleProblem[];
  files: number;
  seconds: number;
  /** Whether the rule cache gave this load ('hit'), stored it ('miss') or was not used ('off'). */
  cache?: 'hit' | 'miss' | 'off';
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
  let cache: LoadedBank['cache'];
  let knownVersion: string | undefined;
  try {
    const read = await readRuleFiles(opts.dirs);
    await yieldToEventLoop();
    ({ loaded, built, cache, version: knownVersion } = opts.cache === undefined ? buildFresh(read) : buildCached(read, opts.cache));
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
    version: knownVersion ?? rulesVersion(rules),
    ruleInfo: rules.map(ruleInfoOf),
  };
  observer.rulesLoaded(report);
  if (!verdict.accept) {
    built.bank.close();
    throw new RulesUnusableError(verdict.why, problems);
  }
  return { bank: built.bank, version: report.version, problems, files: loaded.files, seconds: report.buildSeconds, cache };
}

interface Built {
  loaded: LoadResult;
  built: BuildResult;
  cache: LoadedBank['cache'];
  /** rulesVersion of the rules, when the cache had it. */
  version?: string;
}

function buildFresh(read: ReadRules): Built {
  const loaded = rulesFromFiles(read);
  return { loaded, built: buildBank(loaded.rules), cache: 'off' };
}

/**
 * Through the cache: a hit gives the rules and plan of these exact files; a miss builds them,
 * makes the bank from the very plan it stores (so a hit and a miss give the same bank), and
 * stores it.
 */
function buildCached(read: ReadRules, cache: BankCacheOptions): Built {
  const key = cacheKey(read);
  if (key === undefined) return buildFresh(read);
  const files = read.files.length;
  const hit = readCached(cache, key, read);
  if (hit !== undefined) {
    const loaded: LoadResult = { rules: hit.rules, problems: [...read.problems, ...hit.problems], files, skipped: hit.skipped };
    adoptFoldTable(hit.foldTable);
    const prefilter = hit.index === null ? null : new PrefilterIndex(hit.index);
    const bank = bankFromPlan(hit.rules, hit.plan, {}, prefilter);
    return { loaded, built: { bank, problems: hit.plan.problems }, cache: 'hit', version: hit.version };
  }
  // The per-file part alone is cached: problems of finding the files are looked at every time.
  const own = rulesFromFiles({ files: read.files, problems: [] });
  const plan = planBank(own.rules);
  // The version of the rules the bank keeps (those that compiled), as loadBank reports it.
  const version = rulesVersion(plan.kept.map((r) => own.rules[r] as Rule));
  const prefilter = prefilterOfPlan(plan);
  const index = prefilter === null ? null : prefilter.tables();
  writeCached(cache, key, { rules: own.rules, problems: own.problems, skipped: own.skipped ?? [], plan, version, index, foldTable: foldTable() });
  const loaded: LoadResult = { ...own, problems: [...read.problems, ...own.problems] };
  return { loaded, built: { bank: bankFromPlan(own.rules, plan, {}, prefilter), problems: plan.problems }, cache: 'miss', version };
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
