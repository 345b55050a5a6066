/**
 * Reading the optional parts of a record that both formats share (tags, workarounds, examples).
 * Records were validated before they get here, but these readers still tolerate odd values
 * (the deadends check is light): whatever has the wrong shape is left out, never thrown on.
 */
import { SIGNALS } from './types.js';
import type { Rule, RuleExample, RuleExamples, Signal, Workaround } from './types.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The signals among `tags`, in vocabulary order. */
export function signalsOf(tags: readonly string[]): Signal[] {
  return SIGNALS.filter((signal) => tags.includes(signal));
}

/**
 * Tags that look like a signal but are not spelled as one ("socket_exhaustion", "Pool Starvation"):
 * such a rule would silently never be counted, so the loader reports it.
 */
export function misspelledSignals(tags: readonly string[]): { tag: string; signal: Signal }[] {
  const out: { tag: string; signal: Signal }[] = [];
  for (const tag of tags) {
    const canonical = tag.trim().toLowerCase().replace(/[\s_]+/g, '-');
    const signal = SIGNALS.find((s) => s === canonical);
    if (signal && signal !== tag) out.push({ tag, signal });
  }
  return out;
}

/** The workaround with the highest success_rate; the first one listed wins ties and unrated lists. */
export function bestWorkaround(value: unknown): Workaround | undefined {
  if (!Array.isArray(value)) return undefined;
  let best: Workaround | undefined;
  for (const item of value) {
    if (!isObject(item)) continue;
    const action = optionalString(item.action);
    if (action === undefined) continue;
    const rate = optionalNumber(item.success_rate);
    if (best !== undefined && (rate ?? -1) <= (best.success_rate ?? -1)) continue;
    const how = optionalString(item.how);
    best = { action, ...(rate === undefined ? {} : { success_rate: rate }), ...(how === undefined ? {} : { how }) };
  }
  return best;
}

/** `examples` with every entry as {text, source?, note?}; undefined when the record has none. */
export function normaliseExamples(value: unknown): RuleExamples | undefined {
  if (!isObject(value)) return undefined;
  return { match: exampleList(value.match), no_match: exampleList(value.no_match) };
}

function exampleList(value: unknown): RuleExample[] {
  if (!Array.isArray(value)) return [];
  const out: RuleExample[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      out.push({ text: item });
    } else if (isObject(item) && typeof item.text === 'string') {
      const source = optionalString(item.source);
      const note = optionalString(item.note);
      out.push({
        text: item.text,
        ...(source === undefined ? {} : { source }),
        ...(note === undefined ? {} : { note }),
      });
    }
  }
  return out;
}

/** What both formats give directly; the optional fields are read from raw values. */
export type RuleCore = Pick<Rule, 'id' | 'patterns' | 'domain' | 'category' | 'file' | 'format' | 'record'> & {
  tags: unknown;
  overlaps: unknown;
};

export interface RawRuleExtras {
  rootCause: unknown;
  confidence: unknown;
  verificationTier: string | undefined;
  officialDocUrl: unknown;
  workarounds: unknown;
  examples: unknown;
}

/** A Rule from either format: optional fields are set only when the record has them. */
export function assembleRule(core: RuleCore, extras: RawRuleExtras): Rule {
  const tags = stringList(core.tags);
  const rule: Rule = { ...core, tags, signals: signalsOf(tags), overlaps: stringList(core.overlaps) };
  const rootCause = optionalString(extras.rootCause);
  if (rootCause !== undefined) rule.rootCause = rootCause;
  const confidence = optionalNumber(extras.confidence);
  if (confidence !== undefined) rule.confidence = confidence;
  if (extras.verificationTier !== undefined) rule.verificationTier = extras.verificationTier;
  const docUrl = optionalString(extras.officialDocUrl);
  if (docUrl !== undefined) rule.officialDocUrl = docUrl;
  const workaround = bestWorkaround(extras.workarounds);
  if (workaround !== undefined) rule.bestWorkaround = workaround;
  const examples = normaliseExamples(extras.examples);
  if (examples !== undefined) rule.examples = examples;
  return rule;
}
