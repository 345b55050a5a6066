/**
 * One rule file's text → a checked `Rule`, or the problems that keep it out, or a skip.
 * A rule with any problem is not loaded: half a rule (say, without its broken variant) would
 * silently match less than its author wrote.
 */
import { patternError } from './check-pattern.js';
import { detectFormat } from './detect-format.js';
import { parseJsonText } from './json-syntax.js';
import { deadendsRecordToRule } from './normalise-deadends.js';
import { flatRecordToRule } from './normalise-flat.js';
import { misspelledSignals } from './record-fields.js';
import type { KbFormat, Rule, RuleProblem } from './types.js';
import { validateRecord } from './validate-record.js';

export type RecordOutcome =
  | { kind: 'rule'; rule: Rule }
  | { kind: 'problems'; problems: RuleProblem[] }
  | { kind: 'skipped'; reason: string };

const SHOWN_REGEX_CHARS = 160;

export function loadRecordText(text: string, file: string): RecordOutcome {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { kind: 'problems', problems: [{ kind: 'invalid-json', file, message: parsed.message }] };

  const detected = detectFormat(parsed.value);
  if (detected.kind === 'not-a-record') return { kind: 'skipped', reason: detected.reason };
  if (detected.kind === 'invalid') return { kind: 'problems', problems: [{ kind: 'schema', file, message: detected.message }] };

  const record = parsed.value as Record<string, unknown>;
  const ruleId = typeof record.id === 'string' && record.id !== '' ? record.id : undefined;
  const schemaProblems = validateRecord(record, detected.format, file, ruleId);
  if (schemaProblems.length > 0) return { kind: 'problems', problems: schemaProblems };

  const rule = detected.format === 'flat' ? flatRecordToRule(record, file) : deadendsRecordToRule(record, file);
  const problems = [...tagProblems(rule), ...regexProblems(rule, detected.format)];
  return problems.length > 0 ? { kind: 'problems', problems } : { kind: 'rule', rule };
}

function tagProblems(rule: Rule): RuleProblem[] {
  return misspelledSignals(rule.tags).map(({ tag, signal }) => ({
    kind: 'schema',
    file: rule.file,
    ruleId: rule.id,
    message: `tags: "${tag}" is not a signal; write "${signal}" so that metrics count this rule`,
  }));
}

function regexProblems(rule: Rule, format: KbFormat): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rule.patterns.forEach((pattern, index) => {
    const error = patternError(pattern.regex);
    if (error === undefined) return;
    const field = format === 'deadends' ? 'error.regex' : index === 0 ? 'regex' : `regex_variants[${index - 1}].regex`;
    const written = pattern.original ?? pattern.regex;
    const rewritten = pattern.original === undefined ? '' : ` (as RE2: ${shown(pattern.regex)})`;
    problems.push({
      kind: 'regex',
      file: rule.file,
      ruleId: rule.id,
      message: `${field} ${shown(written)}${rewritten}: ${error}`,
    });
  });
  for (const guard of rule.unless ?? []) {
    const error = patternError(guard.regex, 'guard');
    if (error !== undefined) problems.push({ kind: 'regex', file: rule.file, ruleId: rule.id, message: `${guard.field} ${shown(guard.regex)}: ${error}` });
  }
  return problems;
}

function shown(regex: string): string {
  const cut = regex.length > SHOWN_REGEX_CHARS ? `${regex.slice(0, SHOWN_REGEX_CHARS)}…` : regex;
  return JSON.stringify(cut);
}
