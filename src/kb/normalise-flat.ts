/** The flat KB record (the seed format, rules/schema.json) as a `Rule`. */
import {
  bestWorkaround,
  isObject,
  normaliseExamples,
  optionalNumber,
  optionalString,
  signalsOf,
  stringList,
} from './record-fields.js';
import type { Rule, RulePattern } from './types.js';

/** `record` must have passed the flat schema (string id, regex, domain, category). */
export function flatRecordToRule(record: Record<string, unknown>, file: string): Rule {
  const tags = stringList(record.tags);
  const rule: Rule = {
    id: record.id as string,
    patterns: [{ regex: record.regex as string }, ...variantPatterns(record.regex_variants)],
    domain: record.domain as string,
    category: record.category as string,
    tags,
    signals: signalsOf(tags),
    overlaps: stringList(record.overlaps),
    file,
    format: 'flat',
    record,
  };
  const rootCause = optionalString(record.root_cause);
  if (rootCause !== undefined) rule.rootCause = rootCause;
  const confidence = optionalNumber(record.confidence);
  if (confidence !== undefined) rule.confidence = confidence;
  const tier = optionalString(record.verification_tier);
  if (tier !== undefined) rule.verificationTier = tier;
  const docUrl = optionalString(record.official_doc_url);
  if (docUrl !== undefined) rule.officialDocUrl = docUrl;
  const workaround = bestWorkaround(record.workarounds);
  if (workaround !== undefined) rule.bestWorkaround = workaround;
  const examples = normaliseExamples(record.examples);
  if (examples !== undefined) rule.examples = examples;
  return rule;
}

function variantPatterns(value: unknown): RulePattern[] {
  if (!Array.isArray(value)) return [];
  const out: RulePattern[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.regex !== 'string') continue;
    const pattern: RulePattern = { regex: item.regex };
    const locale = optionalString(item.locale);
    if (locale !== undefined) pattern.locale = locale;
    const note = optionalString(item.note);
    if (note !== undefined) pattern.note = note;
    out.push(pattern);
  }
  return out;
}
