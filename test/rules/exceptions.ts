/**
 * Every exception the KB gate (test/rules) makes, in one place, each with its reason. The lists
 * are exact: a test fails on a new case and also on an entry that no longer applies, so fixing a
 * rule means deleting its entry here, and nothing hides behind a stale one.
 */

/** Kept as the user gave it: no examples, no sources. */
export const SEED_RULE_ID = 'dotnet/httpclient-socket-connection-pool-exhausted';

/**
 * transition_graph `error_id`s allowed to name rules outside this repository (e.g. deadends.dev
 * ids, loaded with `--rules` from elsewhere). None today: every reference points into rules/.
 */
export const EXTERNAL_RULE_IDS: readonly string[] = [];

/**
 * Regexes that no match example of their rule exercises, as `rule-id#pattern` (0 is `regex`,
 * 1.. are `regex_variants`). Each needs a real log line, with its source, that the pattern
 * matches; until then the pattern is untested.
 */
export const UNEXERCISED_PATTERNS: readonly string[] = [];

/**
 * Match examples, as `rule-id#match-index`, that match only as pasted: fed to `faultline scan`,
 * the LineJoiner cuts them into records none of which fires the rule. Each was quoted from an
 * issue in a shape real logs do not have; it needs the record as a log would hold it.
 */
export const JOINED_ONLY_EXAMPLES: readonly string[] = [];
