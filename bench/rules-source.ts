/**
 * Rules for the bench: the deadends KB (2,522 real regexes) through src/kb/load.ts when
 * ../shared is there, else generated rules shaped like real ones. Each rule comes with a text
 * it matches (its signature), for injecting into the corpus.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import RE2 from 're2';
import { loadRules } from '../src/kb/load.js';
import type { Rule, RuleProblem } from '../src/kb/types.js';
import { pickOne, seededRandom } from './random.js';

export interface BenchRule {
  rule: Rule;
  /** A text the rule matches, or undefined when the KB has none that does. */
  signature: string | undefined;
}

export interface RuleSource {
  rules: BenchRule[];
  origin: string;
  problems: RuleProblem[];
}

export const DEADENDS_DIR = fileURLToPath(new URL('../../shared/data/deadends/canons', import.meta.url));

function candidateSignatures(rule: Rule): string[] {
  const error = rule.record.error as { signature?: unknown } | undefined;
  const out: string[] = [];
  if (typeof error?.signature === 'string') out.push(error.signature);
  if (typeof rule.record.signature === 'string') out.push(rule.record.signature);
  for (const example of rule.examples?.match ?? []) out.push(example.text);
  return out;
}

/** A text of the rule's (signature, examples) that its regexes really match. */
export function matchingSignature(rule: Rule): string | undefined {
  const compiled = rule.patterns.flatMap((p) => {
    try {
      return [new RE2(p.regex, 'u')];
    } catch {
      return [];
    }
  });
  return candidateSignatures(rule).find((s) => compiled.some((re) => re.test(s)));
}

/** BENCH_GENERATED=1 measures with generated rules and background even when ../shared is there. */
export const FORCE_GENERATED = process.env.BENCH_GENERATED === '1';

export async function loadBenchRules(): Promise<RuleSource> {
  if (existsSync(DEADENDS_DIR) && !FORCE_GENERATED) {
    const loaded = await loadRules([DEADENDS_DIR]);
    return {
      rules: loaded.rules.map((rule) => ({ rule, signature: matchingSignature(rule) })),
      origin: `deadends KB (${DEADENDS_DIR}) via src/kb/load.ts`,
      problems: loaded.problems,
    };
  }
  const why = FORCE_GENERATED ? 'BENCH_GENERATED=1' : `${DEADENDS_DIR} not found`;
  return { rules: generateRules(2522, 7), origin: `generated (${why})`, problems: [] };
}

const SYLLABLES = 'con nect pool sock et ex haust tim out ref used lim it quo ta dis k fra gment lock dead ser vice han dle port ep hem eral'.split(' ');

function word(random: () => number): string {
  let w = '';
  const n = 2 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) w += pickOne(SYLLABLES, random);
  return w;
}

function capital(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** Regex + a text it matches, in the shapes real KB regexes take. */
function generatedPattern(random: () => number, i: number): { regex: string; signature: string } {
  const a = word(random);
  const b = word(random);
  const code = 1000 + i;
  switch (i % 6) {
    case 0:
      return { regex: `${capital(a)}Exception: ${b} (refused|reset|timed out)`, signature: `${capital(a)}Exception: ${b} reset` };
    case 1:
      return { regex: `(?i)${a} pool (is )?exhausted after \\d+ ms`, signature: `${a.toUpperCase()} pool is exhausted after 30 ms` };
    case 2:
      return { regex: `(${a}|${b}).{0,40}E${code}`, signature: `${b} failed with E${code}` };
    case 3:
      return { regex: `${a}\\.${b}\\(\\) failed: errno=${code}`, signature: `${a}.${b}() failed: errno=${code}` };
    case 4:
      return { regex: `(?i)cannot ${a} ${b}|${b}_${code}_limit`, signature: `Cannot ${a} ${b}` };
    default:
      // No usable literal: these go through the RE2.Set.
      if (i % 60 === 5) {
        const digits = 2 + (i % 3);
        const regex = `(?m)^\\d{4}-\\d{2}-\\d{2}T[0-9:]+ [A-Z]{5} \\w+ \\d{${digits}}$`;
        return { regex, signature: `2024-01-01T10:00:00 FATAL x ${'7'.repeat(digits)}` };
      }
      return { regex: `${a}[-_ ]${b}`, signature: `${a}-${b}` };
  }
}

export function generateRules(count: number, seed: number): BenchRule[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const { regex, signature } = generatedPattern(random, i);
    const rule: Rule = {
      id: `generated/rule-${i}`,
      patterns: [{ regex }],
      domain: 'generated',
      category: 'bench',
      tags: [],
      signals: [],
      overlaps: [],
      file: `generated/rule-${i}.json`,
      format: 'flat',
      record: {},
    };
    return { rule, signature };
  });
}
