/**
 * The KB gate over this repository's rules/: what `faultline rules check` and `rules test`
 * demand, plus what a shipped KB must hold so that a thin or silently empty one fails: enough
 * rules per signal, sourced examples on both sides, ids that follow the paths, tags that are
 * signals or plain lowercase words, a transition_graph that stays inside the KB, every regex
 * exercised by an example, and examples that still fire once scan has joined their lines.
 * Known exceptions are listed, with reasons, in ./exceptions.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRulesCheck } from '../../src/cli/rules-check.js';
import { bankMatcher, findingLine, runRulesTest } from '../../src/cli/rules-test.js';
import type { ExampleMatcher, RulesTestFinding } from '../../src/cli/rules-test.js';
import { SIGNALS } from '../../src/kb/types.js';
import type { LoadResult, Rule } from '../../src/kb/types.js';
import { compilePattern } from '../../src/match/compile.js';
import { captureIo } from '../cli/capture-io.js';
import { EXTERNAL_RULE_IDS, JOINED_ONLY_EXAMPLES, SEED_RULE_ID, UNEXERCISED_PATTERNS } from './exceptions.js';
import { REPO_RULES_DIR, ScanPipeline, idFromPath, loadRepoRules } from './kb-corpus.js';
import { diffAgainstList } from './listed.js';

const MIN_RULES = 80;
const MIN_RULES_PER_SIGNAL = 10;
const MIN_MATCH_EXAMPLES = 2;
const MIN_NO_MATCH_EXAMPLES = 1;
/** Lowercase, no spaces; `/`, `.` and `_` appear in library names (net/http, connection_pool). */
const FREE_TAG = /^[a-z0-9][a-z0-9._/+-]*$/;

let kb: LoadResult;
let matcher: ExampleMatcher;

beforeAll(async () => {
  kb = await loadRepoRules();
  matcher = bankMatcher(kb.rules);
});
afterAll(() => matcher.close());

/** The rules that must meet the full bar: all but the seed. */
const shipped = (): Rule[] => kb.rules.filter((rule) => rule.id !== SEED_RULE_ID);

function isHttpUrl(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

describe('the knowledge base in rules/', () => {
  it(`loads every file as a rule with no problem (rules check), at least ${MIN_RULES} rules`, async () => {
    const cap = captureIo();
    const code = await runRulesCheck({ rules: [REPO_RULES_DIR], format: 'json' }, cap.io);
    const report = JSON.parse(cap.stdout()) as { rules: number; files: number; problems: unknown[]; skipped: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(code).toBe(0);
    expect(report.rules).toBe(report.files);
    expect(report.rules).toBeGreaterThanOrEqual(MIN_RULES);
  });

  it('passes rules test: every match example matches its rule, no no_match example does', async () => {
    const cap = captureIo();
    const code = await runRulesTest({ rules: [REPO_RULES_DIR], format: 'json' }, cap.io);
    const report = JSON.parse(cap.stdout()) as { examples: number; failures: number; findings: RulesTestFinding[] };
    // The seed's lack of examples is the one expected warning.
    const seedWarning = (f: RulesTestFinding): boolean => f.kind === 'no-examples' && f.ruleId === SEED_RULE_ID;
    expect(report.findings.filter((f) => !seedWarning(f)).map(findingLine)).toEqual([]);
    expect(report.findings.filter(seedWarning)).toHaveLength(1);
    expect(code).toBe(0);
    const examples = kb.rules.reduce((n, r) => n + (r.examples?.match.length ?? 0) + (r.examples?.no_match.length ?? 0), 0);
    expect(report.examples).toBe(examples);
  });

  it(`has at least ${MIN_RULES_PER_SIGNAL} rules for each signal`, () => {
    const thin = SIGNALS.map((signal) => ({ signal, rules: kb.rules.filter((r) => r.signals.includes(signal)).length }))
      .filter((s) => s.rules < MIN_RULES_PER_SIGNAL)
      .map((s) => `${s.signal}: ${s.rules} rules`);
    expect(thin).toEqual([]);
  });

  it('names every rule after its file: id = <folder>/<file name without .json>', () => {
    const misnamed = kb.rules.filter((r) => r.id !== idFromPath(r)).map((r) => `${r.file}: id "${r.id}", expected "${idFromPath(r)}"`);
    expect(misnamed).toEqual([]);
  });

  it(`gives every rule but the seed ≥ ${MIN_MATCH_EXAMPLES} sourced match examples and ≥ ${MIN_NO_MATCH_EXAMPLES} no_match`, () => {
    expect(kb.rules.map((r) => r.id)).toContain(SEED_RULE_ID);
    const problems: string[] = [];
    for (const rule of shipped()) {
      const match = rule.examples?.match ?? [];
      const noMatch = rule.examples?.no_match ?? [];
      if (match.length < MIN_MATCH_EXAMPLES) problems.push(`${rule.id}: ${match.length} match examples`);
      if (noMatch.length < MIN_NO_MATCH_EXAMPLES) problems.push(`${rule.id}: ${noMatch.length} no_match examples`);
      match.forEach((e, i) => {
        if (!isHttpUrl(e.source)) problems.push(`${rule.id}: match[${i}] has no http(s) source (${JSON.stringify(e.source)})`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('tags rules with signals or lowercase free tags only', () => {
    const signals: readonly string[] = SIGNALS;
    const bad = kb.rules.flatMap((r) =>
      r.tags.filter((tag) => !signals.includes(tag) && !FREE_TAG.test(tag)).map((tag) => `${r.id}: tag ${JSON.stringify(tag)}`),
    );
    expect(bad).toEqual([]);
  });

  it('points every transition_graph error_id at a rule of the KB (or a listed external id)', () => {
    const ids = new Set(kb.rules.map((r) => r.id));
    const external = new Set(EXTERNAL_RULE_IDS);
    const refs = kb.rules.flatMap(transitionRefs);
    const broken = refs
      .filter((ref) => typeof ref.to !== 'string' || ref.to === ref.from || !(ids.has(ref.to) || external.has(ref.to)))
      .map((ref) => `${ref.from}: ${ref.edge} → ${JSON.stringify(ref.to)}`);
    expect(broken).toEqual([]);
    // An external id must stay external and in use, or its entry is stale.
    const used = new Set(refs.map((ref) => ref.to));
    expect(EXTERNAL_RULE_IDS.filter((id) => ids.has(id) || !used.has(id))).toEqual([]);
  });

  it('exercises every regex of a rule (regex and each regex_variant) with a match example', () => {
    const found = new Map<string, string>();
    // The seed has no examples at all: it is exempt as a whole.
    for (const rule of shipped()) {
      rule.patterns.forEach((pattern, i) => {
        const re = compilePattern(pattern.regex);
        if (!(rule.examples?.match ?? []).some((e) => re.test(e.text))) {
          found.set(`${rule.id}#${i}`, `${rule.id}#${i}: no match example matches /${pattern.regex}/`);
        }
      });
    }
    expect(diffAgainstList(found, UNEXERCISED_PATTERNS)).toEqual({ unlisted: [], stale: [] });
  });

  it('keeps every match example firing its rule once scan has read it into records', async () => {
    const scan = new ScanPipeline();
    const found = new Map<string, string>();
    for (const rule of kb.rules) {
      for (const [i, e] of (rule.examples?.match ?? []).entries()) {
        const { records } = await scan.readText(e.text);
        if (records.some((rec) => matcher.matchingIds(rec.text).includes(rule.id))) continue;
        const shown = records.map((rec) => JSON.stringify(rec.text.slice(0, 80))).join(' | ');
        found.set(`${rule.id}#${i}`, `${rule.id}: match[${i}] becomes ${records.length} records, none fires: ${shown}`);
      }
    }
    expect(diffAgainstList(found, JOINED_ONLY_EXAMPLES)).toEqual({ unlisted: [], stale: [] });
  });
});

interface TransitionRef {
  from: string;
  edge: string;
  to: unknown;
}

/** leads_to / preceded_by / frequently_confused_with (and any other edge list) of a rule. */
function transitionRefs(rule: Rule): TransitionRef[] {
  const graph = rule.record.transition_graph;
  if (typeof graph !== 'object' || graph === null) return [];
  return Object.entries(graph).flatMap(([edge, list]): TransitionRef[] => {
    if (!Array.isArray(list)) return [{ from: rule.id, edge, to: list }];
    return list.map((entry: unknown) => ({
      from: rule.id,
      edge,
      to: typeof entry === 'object' && entry !== null ? (entry as { error_id?: unknown }).error_id : entry,
    }));
  });
}
