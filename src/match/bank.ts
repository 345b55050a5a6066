/**
 * The matcher bank: every rule regex compiled with RE2, found through a literal prefilter.
 *
 * Per record: one Aho-Corasick pass over the string finds the literals ("atoms") every match
 * of a pattern needs (prefilter.ts, literal-scanner.ts); the patterns whose literal condition
 * holds are the candidates (prefilter-index.ts). A pattern whose top-level alternatives lack
 * literals only in part keeps its other alternatives there and gets a gate for each literal-less
 * one (a fixed run of code points like `6.4`, gate.ts); patterns even that cannot serve are
 * checked through RE2.Set (unfiltered-set.ts). Only candidates run their own regex, on a UTF-8 Buffer
 * made once per record: node-re2 would otherwise re-encode the string for every regex it is
 * given (measured: test(string) 2.2 µs vs test(Buffer) 1.3 µs on 556 bytes), and byte offsets
 * are cheap to turn back into UTF-16 (free when the text is ASCII). Candidates are checked in
 * pattern order, which is rule order, so the result is exactly what testing each rule's
 * regexes one by one would give. A rule with `unless` guards (guard.ts) is asked them once one
 * of its patterns matched: any guard that matches the same text makes the rule no hit.
 */
import type { Rule, RuleProblem } from '../kb/types.js';
import type RE2 from 're2';
import { compileAnchored, compilePattern, re2Syntax } from './compile.js';
import { gateOf, type Gate } from './gate.js';
import { UnlessGuard } from './guard.js';
import { DEFAULT_PREFILTER_OPTIONS, extractBranches, extractPrefilter, type PrefilterOptions, type PrefilterUnit } from './prefilter.js';
import { PrefilterIndex, type IndexedPattern } from './prefilter-index.js';
import { StampSet } from './stamp-set.js';
import { UnfilteredSet, type SetPattern } from './unfiltered-set.js';
import { utf16Units } from './utf8-offsets.js';
import type { BankStats, MatcherBank, RuleMatch } from './types.js';

export interface BankOptions extends Partial<PrefilterOptions> {
  /** Patterns per RE2.Set for the unfiltered patterns. */
  setChunkSize?: number;
}

/**
 * Patterns per RE2.Set. Measured with deadends patterns on 556-byte records: per pattern and
 * record 0.29 µs in Sets of 4, 0.16 µs in Sets of 16, 0.25 µs in 32, 4.4 µs in 256 (the Set's
 * DFA thrashes), and 1,024 do not compile at all; one regex alone costs ~1 µs.
 */
const DEFAULT_SET_CHUNK = 16;

interface CompiledPattern {
  /** Null until first needed when the bank was made from a plan (compiling is most of a build). */
  re: RE2 | null;
  /** The same regex with the sticky flag, made on the first match (see `match`). */
  anchored: RE2 | null;
  source: string;
  rule: number;
  index: number;
}

export interface BuildResult {
  bank: MatcherBank;
  problems: RuleProblem[];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A pattern of the bank as data: what a cached bank (src/ruleset/bank-cache.ts) stores. */
export interface PlannedPattern {
  /** Index into the plan's kept rules. */
  rule: number;
  /** Which of the rule's patterns. */
  index: number;
  source: string;
  /** The regex as RE2 compiled it (node-re2's internalSource), which the prefilter reads. */
  syntax: string;
  /** Found through the prefilter (its units), through gates (recomputed from `syntax`), or through RE2.Set. */
  route: { kind: 'prefilter'; units: PrefilterUnit[] } | { kind: 'gated' } | { kind: 'set' };
}

/**
 * Everything buildBank works out from the rules, as plain JSON: which rules compiled, every
 * pattern's RE2 syntax and prefilter route, the problems. Making a bank from a plan needs no
 * regex parsing, and compiles each RE2 only when the prefilter first names it a candidate.
 */
export interface BankPlan {
  /** Indexes (into the rules given) of the rules that have at least one good pattern. */
  kept: number[];
  patterns: PlannedPattern[];
  problems: RuleProblem[];
  options: PrefilterOptions;
}

interface CompiledRules {
  kept: number[];
  patterns: CompiledPattern[];
  /** The compiled guards of the kept rules that have any, by index into `kept`. */
  guards: Map<number, RE2[]>;
  problems: RuleProblem[];
}

/**
 * A rule's guards compiled, or undefined (and problems) when RE2 rejects one: such a rule is left
 * out whole, as counting the texts its author excluded would be worse than not counting it.
 */
function compileGuards(rule: Rule, problems: RuleProblem[]): RE2[] | undefined {
  const compiled: RE2[] = [];
  for (const guard of rule.unless ?? []) {
    try {
      compiled.push(compilePattern(guard.regex));
    } catch (err) {
      problems.push({ kind: 'regex', file: rule.file, ruleId: rule.id, message: `${guard.field}: ${messageOf(err)}` });
    }
  }
  return compiled.length === (rule.unless?.length ?? 0) ? compiled : undefined;
}

function compileRules(rules: readonly Rule[]): CompiledRules {
  const kept: number[] = [];
  const patterns: CompiledPattern[] = [];
  const guards = new Map<number, RE2[]>();
  const problems: RuleProblem[] = [];
  rules.forEach((rule, r) => {
    const ruleGuards = compileGuards(rule, problems);
    if (ruleGuards === undefined) return;
    const good: CompiledPattern[] = [];
    rule.patterns.forEach((p, index) => {
      try {
        good.push({ re: compilePattern(p.regex), anchored: null, source: p.regex, rule: kept.length, index });
      } catch (err) {
        problems.push({ kind: 'regex', file: rule.file, ruleId: rule.id, message: messageOf(err) });
      }
    });
    if (rule.patterns.length === 0) {
      problems.push({ kind: 'missing-field', file: rule.file, ruleId: rule.id, message: 'rule has no regex' });
    }
    if (good.length === 0) return;
    if (ruleGuards.length > 0) guards.set(kept.length, ruleGuards);
    kept.push(r);
    patterns.push(...good);
  });
  return { kept, patterns, guards, problems };
}

/** End (bytes) of the match `p` has at `startByte` in `utf8`. */
function matchEnd(p: CompiledPattern, re: RE2, utf8: Buffer, startByte: number): number {
  const anchored = (p.anchored ??= compileAnchored(re));
  anchored.lastIndex = startByte;
  if (anchored.test(utf8)) return anchored.lastIndex;
  // Cannot happen (same regex, same text); should it ever, exec() answers alone.
  const m = re.exec(utf8);
  return m === null ? startByte : m.index + m[0].length;
}

class Bank implements MatcherBank {
  readonly rules: readonly Rule[];
  readonly stats: BankStats;
  private patterns: CompiledPattern[];
  /** Per bank rule: its guard, or null (most rules have none). */
  private guards: (UnlessGuard | null)[];
  private prefilter: PrefilterIndex | null;
  private unfiltered: UnfilteredSet | null;
  private readonly candidates: StampSet;
  private closed = false;

  constructor(
    rules: Rule[],
    patterns: CompiledPattern[],
    guards: (UnlessGuard | null)[],
    prefilter: PrefilterIndex | null,
    unfiltered: UnfilteredSet | null,
    stats: BankStats,
  ) {
    this.rules = rules;
    this.patterns = patterns;
    this.guards = guards;
    this.prefilter = prefilter;
    this.unfiltered = unfiltered;
    this.stats = stats;
    this.candidates = new StampSet(Math.max(patterns.length, 1));
  }

  match(text: string): RuleMatch[] {
    if (this.closed) throw new Error('matcher bank is closed');
    const candidates = this.candidates;
    candidates.clear();
    this.prefilter?.candidates(text, candidates);
    let utf8: Buffer | null = null;
    if (this.unfiltered !== null) {
      utf8 = Buffer.from(text, 'utf8');
      this.unfiltered.match(utf8, candidates);
    }
    const results: RuleMatch[] = [];
    if (candidates.size === 0) return results;
    utf8 ??= Buffer.from(text, 'utf8');
    const ascii = utf8.length === text.length;
    const ids = candidates.sorted();
    let lastRule = -1;
    for (let k = 0; k < ids.length; k++) {
      const p = this.patterns[ids[k] as number] as CompiledPattern;
      // Pattern ids run in rule order, a rule's patterns in their own order: the first hit of
      // a rule is the one to report.
      if (p.rule === lastRule) continue;
      // search() is a DFA pass like test(), and gives the start; the end comes from the sticky
      // copy anchored there (same leftmost-first match: RE2 keeps the whole text as context).
      // Measured 2-3x cheaper than exec(), which also computes every capture group.
      // A plan's patterns compiled the same way when the plan was made (same RE2 build: the
      // cache key holds its version), so this cannot throw.
      const re = (p.re ??= compilePattern(p.source));
      const startByte = re.search(utf8);
      if (startByte < 0) continue;
      lastRule = p.rule;
      // The rule matched: its guards decide (whichever pattern matched, so its others are skipped too).
      if (this.guards[p.rule]?.silences(utf8) === true) continue;
      const endByte = matchEnd(p, re, utf8, startByte);
      const start = ascii ? startByte : utf16Units(utf8, 0, startByte);
      const end = ascii ? endByte : start + utf16Units(utf8, startByte, endByte);
      results.push({ rule: p.rule, pattern: p.index, start, end });
    }
    return results;
  }

  close(): void {
    this.closed = true;
    this.patterns = [];
    this.guards = [];
    this.prefilter = null;
    this.unfiltered?.close();
    this.unfiltered = null;
  }
}

/**
 * A pattern without a prefilter as a whole, served by the prefilter anyway: its alternatives
 * with literals as units, each other one behind a gate (gate.ts). Null when some alternative has
 * no selective gate, or the pattern uses \C (one byte, which a gate's positions cannot count).
 */
function gatedBranches(syntax: string, options: PrefilterOptions): { units: IndexedPattern['units']; gates: Gate[] } | null {
  if (syntax.includes('\\C')) return null;
  const branches = extractBranches(syntax, options);
  if (branches === null || branches.bare.length === 0) return null;
  const gates: Gate[] = [];
  for (const branch of branches.bare) {
    const gate = gateOf(branch);
    if (gate === null) return null;
    gates.push(gate);
  }
  return { units: branches.units, gates };
}

function prefilterOptionsOf(opts: BankOptions): PrefilterOptions {
  return {
    minAtomBytes: opts.minAtomBytes ?? DEFAULT_PREFILTER_OPTIONS.minAtomBytes,
    minTriggerBytes: opts.minTriggerBytes ?? DEFAULT_PREFILTER_OPTIONS.minTriggerBytes,
    maxAtomUnits: opts.maxAtomUnits ?? DEFAULT_PREFILTER_OPTIONS.maxAtomUnits,
  };
}

/** Compiles the rules and works out every pattern's route; the compiled regexes come along for buildBank. */
function planWithRegexes(rules: readonly Rule[], opts: BankOptions): { plan: BankPlan; compiled: CompiledPattern[]; guards: Map<number, RE2[]> } {
  const options = prefilterOptionsOf(opts);
  const { kept, patterns, guards, problems } = compileRules(rules);
  const planned = patterns.map((p): PlannedPattern => {
    const syntax = re2Syntax(p.re as RE2);
    const found = extractPrefilter(syntax, options);
    const base = { rule: p.rule, index: p.index, source: p.source, syntax };
    if (found.kind === 'prefilter') return { ...base, route: { kind: 'prefilter', units: found.units } };
    return { ...base, route: { kind: gatedBranches(syntax, options) !== null ? 'gated' : 'set' } };
  });
  return { plan: { kept, patterns: planned, problems, options }, compiled: patterns, guards };
}

/** The plan of a bank for these rules (buildBank's work, as data to cache). Pure: no I/O. */
export function planBank(rules: readonly Rule[], opts: BankOptions = {}): BankPlan {
  return planWithRegexes(rules, opts).plan;
}

/**
 * A bank from a plan made for these very rules (same rules, same order; the caller vouches for
 * that, as src/ruleset/bank-cache.ts does by keying plans on the rule files' content).
 * `compiled` are the plan's regexes when they are at hand; otherwise each compiles on first use.
 */
export function bankFromPlan(rules: readonly Rule[], plan: BankPlan, opts: BankOptions = {}, prefilter?: PrefilterIndex | null): MatcherBank {
  return assembleBank(rules, plan, opts, undefined, undefined, performance.now(), prefilter);
}

/**
 * The prefilter index of a plan: its prefiltered and gated patterns behind one literal scan,
 * or null when it has none. The rule cache stores it (`tables()`), as building it is most of
 * what is left of a build once the plan is known.
 */
export function prefilterOfPlan(plan: BankPlan): PrefilterIndex | null {
  const indexed: IndexedPattern[] = [];
  plan.patterns.forEach((p, id) => {
    if (p.route.kind === 'prefilter') indexed.push({ id, units: p.route.units });
    else if (p.route.kind === 'gated') {
      const gated = gatedBranches(p.syntax, plan.options);
      // The plan said so with this very code (the cache key holds it): cannot happen.
      if (gated === null) throw new Error(`bank plan: pattern ${id} has no gates any more`);
      indexed.push({ id, ...gated });
    }
  });
  return indexed.length > 0 ? new PrefilterIndex(indexed) : null;
}

function assembleBank(
  rules: readonly Rule[],
  plan: BankPlan,
  opts: BankOptions,
  compiled: CompiledPattern[] | undefined,
  compiledGuards: Map<number, RE2[]> | undefined,
  started: number,
  given?: PrefilterIndex | null,
): MatcherBank {
  const kept = plan.kept.map((r) => {
    const rule = rules[r];
    if (rule === undefined) throw new Error(`bank plan names rule ${r}, beyond the ${rules.length} given`);
    return rule;
  });
  // The guards come from the kept rules themselves (a plan leaves them to the rules it was made for).
  const guards = kept.map((rule, k) =>
    rule.unless === undefined || rule.unless.length === 0 ? null : new UnlessGuard(rule.unless.map((g) => g.regex), compiledGuards?.get(k)),
  );
  const patterns: CompiledPattern[] =
    compiled ?? plan.patterns.map((p) => ({ re: null, anchored: null, source: p.source, rule: p.rule, index: p.index }));
  const viaSet: SetPattern[] = [];
  plan.patterns.forEach((p, id) => {
    if (p.route.kind !== 'set') return;
    const pattern = patterns[id] as CompiledPattern;
    viaSet.push({ id, source: p.source, re: (pattern.re ??= compilePattern(p.source)) });
  });
  const prefilter = given === undefined ? prefilterOfPlan(plan) : given;
  const unfiltered = viaSet.length > 0 ? new UnfilteredSet(viaSet, opts.setChunkSize ?? DEFAULT_SET_CHUNK) : null;

  const stats: BankStats = {
    rules: kept.length,
    patterns: patterns.length,
    prefiltered: patterns.length - viaSet.length,
    unfiltered: viaSet.length,
    buildMs: performance.now() - started,
  };
  return new Bank(kept, patterns, guards, prefilter, unfiltered, stats);
}

/** Compiles rules into a bank. Pure: no I/O. Regexes RE2 rejects come back as problems. */
export function buildBank(rules: readonly Rule[], opts: BankOptions = {}): BuildResult {
  const started = performance.now();
  const { plan, compiled, guards } = planWithRegexes(rules, opts);
  return { bank: assembleBank(rules, plan, opts, compiled, guards, started), problems: plan.problems };
}
