/**
 * The knowledge base as the rest of faultline sees it. Loaders (flat seed format, nested
 * deadends format) normalise every file into a `Rule`; the raw record is kept whole in `record`
 * so that no field of the KB is ever lost on the way to the tagged event.
 */

/** The fixed signal vocabulary. Rules declare signals in `tags`; metrics count them. */
export const SIGNALS = ['socket-exhaustion', 'pool-starvation', 'thread-starvation'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface RuleExample {
  text: string;
  /** Where the text was seen (URL); required for our own rules, optional elsewhere. */
  source?: string;
  note?: string;
}

export interface RuleExamples {
  match: RuleExample[];
  no_match: RuleExample[];
}

export interface Workaround {
  action: string;
  success_rate?: number;
  how?: string;
}

/** One regex of a rule: the primary `regex` or one of its variants (other versions, locales). */
export interface RulePattern {
  /** RE2 syntax, ready to compile. */
  regex: string;
  locale?: string;
  note?: string;
  /** The regex as written in the file, when the loader had to rewrite it (deadends: Python `re`). */
  original?: string;
}

export type KbFormat = 'flat' | 'deadends';

/**
 * A rule-level guard (`unless`): RE2 has no lookaround, so a rule that must not count some shape
 * of its own message ("too many open files" under a fork/exec frame) says so with regexes of
 * their own. A rule whose patterns match a text is no hit when any of these matches the same text.
 */
export interface RuleGuard {
  /** RE2 syntax, compiled like the patterns. */
  regex: string;
  /** Where it was written, for messages: `unless` (a single string) or `unless[1]`. */
  field: string;
}

export interface Rule {
  id: string;
  /** All regexes of the rule, primary first. A record matches the rule if any one matches. */
  patterns: RulePattern[];
  /** Set only when the record has `unless`: the rule is no hit on a text any of these matches. */
  unless?: RuleGuard[];
  domain: string;
  category: string;
  tags: string[];
  signals: Signal[];
  rootCause?: string;
  confidence?: number;
  verificationTier?: string;
  officialDocUrl?: string;
  /** The workaround with the highest success_rate, if any. */
  bestWorkaround?: Workaround;
  examples?: RuleExamples;
  /** Ids of rules this one is declared to overlap with on purpose. */
  overlaps: string[];
  file: string;
  format: KbFormat;
  /** The record exactly as loaded (every field, known or not). */
  record: Record<string, unknown>;
}

export type RuleProblemKind =
  | 'invalid-json'
  | 'schema'
  | 'missing-field'
  | 'duplicate-id'
  | 'regex'
  | 'io';

/** A problem found while loading: always names the file, and the rule id once known. */
export interface RuleProblem {
  kind: RuleProblemKind;
  file: string;
  ruleId?: string;
  message: string;
}

/** A .json file found under a rules directory that is not a rule record (e.g. a schema). */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface LoadResult {
  rules: Rule[];
  problems: RuleProblem[];
  /** Files read, for reports. */
  files: number;
  /** Files found but deliberately not loaded as rules. */
  skipped?: SkippedFile[];
}
