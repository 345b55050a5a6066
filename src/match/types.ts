import type { Rule } from '../kb/types.js';

/** One rule that matched one text. Offsets are UTF-16 indices into the matched text. */
export interface RuleMatch {
  /** Index of the rule in the bank's rule list. */
  rule: number;
  /** Which of the rule's patterns matched first (0 = the primary regex). */
  pattern: number;
  start: number;
  end: number;
}

export interface BankStats {
  rules: number;
  patterns: number;
  /** Patterns reached through the literal prefilter. */
  prefiltered: number;
  /** Patterns with no usable literal, evaluated through the RE2 set. */
  unfiltered: number;
  buildMs: number;
}

/**
 * The compiled rule bank. Pure: no I/O, no Kafka, no HTTP. `match` returns every rule that
 * matches the text, in rule order, exactly as testing each rule's regexes one by one would.
 */
export interface MatcherBank {
  readonly rules: readonly Rule[];
  readonly stats: BankStats;
  match(text: string): RuleMatch[];
  /** Drops native resources; the bank must not be used afterwards. */
  close(): void;
}
