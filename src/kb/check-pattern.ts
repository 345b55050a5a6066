/**
 * Compiles one rule regex with RE2 exactly as the matcher will, and says what is wrong with it:
 * RE2's own error message (with a hint for the two things people most often carry over from
 * PCRE/Python), or a pattern that matches the empty string and so would tag every record (an
 * `unless` guard: silence the rule on every record).
 */
import RE2 from 're2';

/** The flags faultline compiles rule regexes with: "u" only (node-re2 requires Unicode mode). */
export const RULE_REGEX_FLAGS = 'u';

/** What a regex is for: a pattern tags the texts it matches, a guard (`unless`) silences its rule. */
export type RegexRole = 'pattern' | 'guard';

const EMPTY_MATCH: Record<RegexRole, string> = {
  pattern: 'matches the empty string, so it would tag every record',
  guard: 'matches the empty string, so it would silence the rule on every record',
};

export function patternError(regex: string, role: RegexRole = 'pattern'): string | undefined {
  let compiled: RE2;
  try {
    compiled = new RE2(regex, RULE_REGEX_FLAGS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `RE2 rejects it: ${message}${hintFor(regex, message)}`;
  }
  if (compiled.test('')) return EMPTY_MATCH[role];
  return undefined;
}

function hintFor(regex: string, message: string): string {
  if (/invalid perl operator: \(\?<?[=!]/.test(message)) {
    return ' (RE2 has no lookahead/lookbehind: match the text itself, or split the rule)';
  }
  // RE2 names only "(?P" or "\k" here, so look at the pattern to tell a backreference apart.
  if (/invalid (escape sequence|perl operator)/.test(message) && /\(\?P=|\\k<|\\[1-9]/.test(regex)) {
    return ' (RE2 has no backreferences)';
  }
  return '';
}
