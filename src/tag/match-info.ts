/** The part of a tagged event's match entry that depends only on the rule. */

import type { Rule, Signal } from '../kb/types.js';
import type { MatchInfo } from './types.js';

export type RuleInfo = Omit<MatchInfo, 'span'>;

/** Rules are immutable once loaded, so each one's entry is built once and shared. */
const cache = new WeakMap<Rule, RuleInfo>();

function build(rule: Rule): RuleInfo {
  const info: RuleInfo = {
    id: rule.id,
    domain: rule.domain,
    category: rule.category,
    // Frozen copies: events share them, and nothing downstream may change a rule through an event.
    tags: Object.freeze([...rule.tags]) as string[],
    signals: Object.freeze([...rule.signals]) as Signal[],
  };
  if (rule.rootCause !== undefined) info.root_cause = rule.rootCause;
  if (rule.confidence !== undefined) info.confidence = rule.confidence;
  if (rule.verificationTier !== undefined) info.verification_tier = rule.verificationTier;
  if (rule.bestWorkaround !== undefined) {
    const { action, success_rate, how } = rule.bestWorkaround;
    const workaround: NonNullable<RuleInfo['workaround']> = { action };
    if (success_rate !== undefined) workaround.success_rate = success_rate;
    if (how !== undefined) workaround.how = how;
    info.workaround = Object.freeze(workaround);
  }
  if (rule.officialDocUrl !== undefined) info.official_doc_url = rule.officialDocUrl;
  Object.freeze(info);
  // Keyed by the entry's own frozen tags array: a match entry `{ ...info, span }` carries it.
  json.set(info.tags, { info, keys: Object.keys(info), prefix: JSON.stringify(info).slice(0, -1) });
  return info;
}

/** Each rule's entry and its JSON without the closing brace, by the entry's tags array. */
const json = new WeakMap<readonly string[], { info: RuleInfo; keys: readonly string[]; prefix: string }>();

/**
 * The JSON of `m` without its span and closing brace, when `m` is `{ ...ruleInfo(rule), span }`
 * with every rule field as the rule's entry has it, in its order (compared one by one: anything
 * else falls back to the caller's full serialisation); undefined otherwise.
 */
export function ruleInfoJson(m: MatchInfo): string | undefined {
  const known = Array.isArray(m.tags) ? json.get(m.tags) : undefined;
  if (known === undefined) return undefined;
  const { info, keys, prefix } = known;
  const same =
    m.id === info.id &&
    m.domain === info.domain &&
    m.category === info.category &&
    m.signals === info.signals &&
    m.root_cause === info.root_cause &&
    m.confidence === info.confidence &&
    m.verification_tier === info.verification_tier &&
    m.workaround === info.workaround &&
    m.official_doc_url === info.official_doc_url;
  return same && keysAre(m, keys) ? prefix : undefined;
}

/** `m`'s own keys are `keys` and then `span`, in that order. */
function keysAre(m: MatchInfo, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in m) {
    if (!Object.hasOwn(m, k)) return false;
    if (i < keys.length ? k !== keys[i] : i > keys.length || k !== 'span') return false;
    i++;
  }
  return i === keys.length + 1;
}

export function ruleInfo(rule: Rule): RuleInfo {
  let info = cache.get(rule);
  if (info === undefined) {
    info = build(rule);
    cache.set(rule, info);
  }
  return info;
}
