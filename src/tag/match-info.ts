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
    info.workaround = { action };
    if (success_rate !== undefined) info.workaround.success_rate = success_rate;
    if (how !== undefined) info.workaround.how = how;
  }
  if (rule.officialDocUrl !== undefined) info.official_doc_url = rule.officialDocUrl;
  return Object.freeze(info);
}

export function ruleInfo(rule: Rule): RuleInfo {
  let info = cache.get(rule);
  if (info === undefined) {
    info = build(rule);
    cache.set(rule, info);
  }
  return info;
}
