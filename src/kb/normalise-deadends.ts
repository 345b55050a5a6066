/**
 * The nested deadends.dev record (error.regex, error.domain, verdict.summary, …) as a `Rule`.
 *
 * Field mapping (docs/rule-format.md keeps the same table):
 *   patterns         ← error.regex, rewritten from Python `re` to RE2 (python-regex.ts)
 *   domain, category ← error.domain, error.category
 *   rootCause        ← verdict.summary
 *   confidence       ← verdict.confidence
 *   verificationTier ← metadata.review_status: "auto_generated" → "ai_generated" (the flat
 *                      format's word for an unreviewed, generated record); any other value
 *                      ("human_reviewed", "community_verified") is kept as it is
 *   bestWorkaround   ← workarounds[] (action, how, success_rate)
 *   tags, examples, overlaps, official_doc_url ← the same top-level fields, when present
 * deadends has no tags of its own, so its rules carry no signals unless a record adds `tags`.
 */
import { pythonRegexToRe2 } from './python-regex.js';
import { assembleRule, isObject, optionalString } from './record-fields.js';
import type { Rule, RulePattern } from './types.js';

const REVIEW_STATUS_TO_TIER: Readonly<Record<string, string>> = { auto_generated: 'ai_generated' };

export function reviewStatusToTier(status: string): string {
  return REVIEW_STATUS_TO_TIER[status] ?? status;
}

/** `record` must have passed the deadends check (string id, error.regex/domain/category). */
export function deadendsRecordToRule(record: Record<string, unknown>, file: string): Rule {
  const error = record.error as Record<string, unknown>;
  const verdict = isObject(record.verdict) ? record.verdict : {};
  const metadata = isObject(record.metadata) ? record.metadata : {};
  const original = error.regex as string;
  const translated = pythonRegexToRe2(original);
  const pattern: RulePattern = { regex: translated.regex };
  if (translated.regex !== original) pattern.original = original;
  const status = optionalString(metadata.review_status);
  return assembleRule(
    {
      id: record.id as string,
      patterns: [pattern],
      domain: error.domain as string,
      category: error.category as string,
      tags: record.tags,
      overlaps: record.overlaps,
      file,
      format: 'deadends',
      record,
    },
    {
      rootCause: verdict.summary,
      confidence: verdict.confidence,
      verificationTier: status === undefined ? undefined : reviewStatusToTier(status),
      officialDocUrl: record.official_doc_url,
      workarounds: record.workarounds,
      examples: record.examples,
    },
  );
}
