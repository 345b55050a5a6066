import type { Signal } from '../kb/types.js';
import type { RulesReport } from '../pipeline/observer.js';

/**
 * What the metrics need to know about each loaded rule: its labels, and the KB text shown on
 * faultline_rule_info. Kept apart from the bank so that metrics never hold compiled regexes.
 */

/**
 * A rule as reported. The worker may pass full `Rule`s (they fit this shape); `rootCause` and
 * `bestWorkaround` are then picked up for the info series.
 */
export type ReportedRule = RulesReport['ruleInfo'][number] & {
  rootCause?: string;
  bestWorkaround?: { action: string };
};

export interface RuleMeta {
  id: string;
  domain: string;
  category: string;
  signals: readonly Signal[];
  confidence: string;
  /**
   * The confidence as a number for ranking a record's rules (the observer picks, per record and
   * signal, the rule that counts): computed once per load, not once per record. -1 when the rule
   * has none, so it ranks below every rule that has one.
   */
  rank: number;
  verificationTier: string;
  rootCause: string;
  workaround: string;
}

/**
 * KB text on a label is bounded: these values exist once per rule (~100 series), change only with
 * the rules version, and are what an alert annotation or a dashboard table shows next to the
 * error id. 160 characters keep the gist of a root cause without turning the info series into a
 * document store; the full text is in the tagged events and the rule file.
 */
export const MAX_KB_LABEL_LENGTH = 160;

export function shortText(text: string | undefined, max = MAX_KB_LABEL_LENGTH): string {
  if (text === undefined) return '';
  const flat = text.replace(/\p{C}+/gu, ' ').replace(/\s+/gu, ' ').trim();
  const points = Array.from(flat);
  if (points.length <= max) return flat;
  return `${points.slice(0, max - 1).join('').trimEnd()}…`;
}

export function ruleMeta(rule: ReportedRule): RuleMeta {
  const confidence = rule.confidence ?? Number.NaN;
  return {
    id: rule.id,
    domain: rule.domain,
    category: rule.category,
    signals: [...new Set(rule.signals)].sort(),
    confidence: rule.confidence === undefined ? '' : String(rule.confidence),
    rank: Number.isFinite(confidence) ? confidence : -1,
    verificationTier: rule.verificationTier ?? '',
    rootCause: shortText(rule.rootCause),
    workaround: shortText(rule.bestWorkaround?.action),
  };
}

/** Did a reload change the labels under which this rule's match series are exported? */
export function sameMatchLabels(a: RuleMeta, b: RuleMeta): boolean {
  return a.domain === b.domain && a.category === b.category;
}
