/** The flat KB record (the seed format, rules/schema.json) as a `Rule`. */
import { assembleRule, isObject, optionalString } from './record-fields.js';
import type { Rule, RuleGuard, RulePattern } from './types.js';

/** `record` must have passed the flat schema (string id, regex, domain, category). */
export function flatRecordToRule(record: Record<string, unknown>, file: string): Rule {
  const rule = assembleRule(
    {
      id: record.id as string,
      patterns: [{ regex: record.regex as string }, ...variantPatterns(record.regex_variants)],
      domain: record.domain as string,
      category: record.category as string,
      tags: record.tags,
      overlaps: record.overlaps,
      file,
      format: 'flat',
      record,
    },
    {
      rootCause: record.root_cause,
      confidence: record.confidence,
      verificationTier: optionalString(record.verification_tier),
      officialDocUrl: record.official_doc_url,
      workarounds: record.workarounds,
      examples: record.examples,
    },
  );
  const unless = guardsOf(record.unless);
  if (unless.length > 0) rule.unless = unless;
  return rule;
}

/** `unless` as written: one regex (field `unless`) or a list (`unless[i]`); anything else is left out. */
export function guardsOf(value: unknown): RuleGuard[] {
  if (typeof value === 'string') return [{ regex: value, field: 'unless' }];
  if (!Array.isArray(value)) return [];
  const out: RuleGuard[] = [];
  value.forEach((item, index) => {
    if (typeof item === 'string') out.push({ regex: item, field: `unless[${index}]` });
  });
  return out;
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
