import RE2 from 're2';

export const PATTERN_FLAGS = 'u';

/**
 * How every rule regex is compiled, in the bank and wherever a rule is checked on its own: RE2
 * syntax through node-re2, flags 'u' (node-re2 always matches Unicode code points; saying so
 * keeps it from warning). Throws RE2's own SyntaxError for a regex RE2 rejects.
 */
export function compilePattern(source: string): RE2 {
  return new RE2(source, PATTERN_FLAGS);
}

// node-re2 accepts (RE2, flags) and then reuses the translated pattern; its typings omit it.
const CopyRE2 = RE2 as unknown as new (pattern: RE2, flags: string) => RE2;

/** The same regex, matching only at `lastIndex` and moving `lastIndex` to the match end. */
export function compileAnchored(re: RE2): RE2 {
  return new CopyRE2(re, 'y' + PATTERN_FLAGS);
}

/**
 * The pattern exactly as RE2 compiled it: node-re2 first rewrites some JavaScript spellings
 * (`\uXXXX`, `\p{Letter}`, `(?<name>`, `/`). Exposed by node-re2 as `internalSource`, which its
 * typings omit.
 */
export function re2Syntax(re: RE2): string {
  const source = (re as unknown as { internalSource?: unknown }).internalSource;
  if (typeof source !== 'string') throw new Error('node-re2 no longer exposes internalSource');
  return source;
}
