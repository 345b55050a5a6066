/**
 * `faultline rules test`: every rule's own examples, run through the matcher bank built over all
 * loaded rules. Each `examples.match` text must match its rule, no `examples.no_match` text may.
 * Rules shipped in this repository's rules/ must have examples: a warning, a failure with
 * --strict. A match example that also matches another rule not declared in `overlaps` is a warning.
 * A no_match example that the rule's `unless` silences passes (that is what the guard is for); a
 * match example it silences fails, naming the guard.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../kb/load.js';
import { problemLine } from '../kb/problem-text.js';
import type { Rule, RuleExample, RuleGuard, RuleProblem } from '../kb/types.js';
import { buildBank } from '../match/bank.js';
import { matchRecordText } from '../match/record-text.js';
import { compilePattern } from '../match/compile.js';
import { count, loadSummary } from './rules-check.js';
import type { CliIo } from './rules-check.js';

/** Which rules match a text, by id. */
export interface ExampleMatcher {
  matchingIds(text: string): string[];
  /** Rules the matcher could not take (they are missing from its answers). */
  problems: RuleProblem[];
  close(): void;
}

export type BuildMatcher = (rules: readonly Rule[]) => ExampleMatcher;

export interface RulesTestOptions {
  rules: string[];
  /** Rules lacking examples fail instead of warn. */
  strict?: boolean;
  format?: 'text' | 'json';
  /** Directories whose rules must have examples; default: this repository's rules/. */
  requireExamplesUnder?: string[];
  /** Default: the production matcher bank. */
  buildMatcher?: BuildMatcher;
}

export type RulesTestFinding =
  | { kind: 'load-problem' | 'matcher-problem'; problem: RuleProblem }
  | { kind: 'not-matched' | 'wrongly-matched'; ruleId: string; file: string; example: RuleExample }
  | { kind: 'silenced-match'; ruleId: string; file: string; example: RuleExample; guard: RuleGuard }
  | { kind: 'no-examples'; ruleId: string; file: string; failure: boolean }
  | { kind: 'undeclared-overlap'; ruleId: string; file: string; example: RuleExample; otherRuleId: string };

export const REPO_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const SHOWN_EXAMPLE_CHARS = 200;

export async function runRulesTest(opts: RulesTestOptions, io: CliIo): Promise<number> {
  const loaded = await loadRules(opts.rules);
  const findings: RulesTestFinding[] = loaded.problems.map((problem) => ({ kind: 'load-problem', problem }));
  const requireUnder = (opts.requireExamplesUnder ?? [REPO_RULES_DIR]).map(realOrResolved);
  const byId = new Map(loaded.rules.map((rule) => [rule.id, rule]));
  let examplesRun = 0;

  const matcher = (opts.buildMatcher ?? bankMatcher)(loaded.rules);
  try {
    for (const problem of matcher.problems) findings.push({ kind: 'matcher-problem', problem });
    for (const rule of loaded.rules) {
      const examples = rule.examples;
      if (!examples || examples.match.length + examples.no_match.length === 0) {
        if (isUnder(rule.file, requireUnder)) {
          findings.push({ kind: 'no-examples', ruleId: rule.id, file: rule.file, failure: opts.strict === true });
        }
        continue;
      }
      findings.push(...testExamples(rule, matcher, byId));
      examplesRun += examples.match.length + examples.no_match.length;
    }
  } finally {
    matcher.close();
  }

  const failures = findings.filter(isFailure).length;
  const warnings = findings.length - failures;
  if (opts.format === 'json') {
    const report = { rules: loaded.rules.length, files: loaded.files, examples: examplesRun, failures, warnings, findings };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const finding of findings) io.stdout.write(`${findingLine(finding)}\n`);
    const tally = `${count(examplesRun, 'example')} run, ${count(failures, 'failure')}, ${count(warnings, 'warning')}`;
    io.stdout.write(`${loadSummary(loaded)}; ${tally}\n`);
  }
  return failures > 0 ? 1 : 0;
}

function testExamples(rule: Rule, matcher: ExampleMatcher, byId: ReadonlyMap<string, Rule>): RulesTestFinding[] {
  const findings: RulesTestFinding[] = [];
  const where = { ruleId: rule.id, file: rule.file };
  const reportedOverlaps = new Set<string>();
  for (const example of rule.examples?.match ?? []) {
    const hits = matcher.matchingIds(example.text);
    if (!hits.includes(rule.id)) {
      const guard = silencingGuard(rule, example.text);
      findings.push(guard === undefined ? { kind: 'not-matched', ...where, example } : { kind: 'silenced-match', ...where, example, guard });
    }
    for (const otherId of hits) {
      const other = byId.get(otherId);
      if (otherId === rule.id || !other || reportedOverlaps.has(otherId) || declaresOverlap(rule, other)) continue;
      reportedOverlaps.add(otherId);
      findings.push({ kind: 'undeclared-overlap', ...where, example, otherRuleId: otherId });
    }
  }
  for (const example of rule.examples?.no_match ?? []) {
    if (matcher.matchingIds(example.text).includes(rule.id)) findings.push({ kind: 'wrongly-matched', ...where, example });
  }
  return findings;
}

export function isFailure(finding: RulesTestFinding): boolean {
  if (finding.kind === 'no-examples') return finding.failure;
  return finding.kind !== 'undeclared-overlap';
}

export function findingLine(finding: RulesTestFinding): string {
  switch (finding.kind) {
    case 'load-problem':
      return `FAIL ${problemLine(finding.problem)}`;
    case 'matcher-problem':
      return `FAIL ${problemLine(finding.problem)} (matcher bank)`;
    case 'not-matched':
      return `FAIL ${finding.file}: ${finding.ruleId}: match example does not match: ${shown(finding.example)}`;
    case 'silenced-match':
      return `FAIL ${finding.file}: ${finding.ruleId}: match example matches the rule's regex but ${finding.guard.field} ${JSON.stringify(finding.guard.regex)} silences it: ${shown(finding.example)}`;
    case 'wrongly-matched':
      return `FAIL ${finding.file}: ${finding.ruleId}: no_match example matches: ${shown(finding.example)}`;
    case 'no-examples':
      return `${finding.failure ? 'FAIL' : 'WARN'} ${finding.file}: ${finding.ruleId}: no examples (rules in this repository need examples.match and examples.no_match)`;
    case 'undeclared-overlap':
      return `WARN ${finding.file}: ${finding.ruleId}: match example also matches ${finding.otherRuleId} (not declared in overlaps): ${shown(finding.example)}`;
  }
}

function shown(example: RuleExample): string {
  const text = example.text.length > SHOWN_EXAMPLE_CHARS ? `${example.text.slice(0, SHOWN_EXAMPLE_CHARS)}…` : example.text;
  return JSON.stringify(text) + (example.note ? ` (${example.note})` : '');
}

/**
 * Why a match example that the bank does not give the rule is missed, when the reason is its own
 * guard: some pattern of the rule matches the text and this `unless` regex matches it too.
 * Regexes that do not compile are the load's problems, reported already.
 */
function silencingGuard(rule: Rule, text: string): RuleGuard | undefined {
  if (rule.unless === undefined) return undefined;
  const matches = (regex: string): boolean => {
    try {
      return compilePattern(regex).test(text);
    } catch {
      return false;
    }
  };
  if (!rule.patterns.some((p) => matches(p.regex))) return undefined;
  return rule.unless.find((g) => matches(g.regex));
}

function declaresOverlap(a: Rule, b: Rule): boolean {
  return a.overlaps.includes(b.id) || b.overlaps.includes(a.id);
}

function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function isUnder(file: string, dirs: readonly string[]): boolean {
  const real = realOrResolved(file);
  return dirs.some((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
}

/** The production matcher bank (src/match), so examples test exactly what the worker runs. */
export function bankMatcher(rules: readonly Rule[]): ExampleMatcher {
  const { bank, problems } = buildBank(rules);
  return {
    problems,
    matchingIds: (text) => matchRecordText(bank, text).flatMap((m) => bank.rules[m.rule]?.id ?? []),
    close: () => bank.close(),
  };
}
