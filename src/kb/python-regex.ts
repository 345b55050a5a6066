/**
 * deadends records carry regexes written for Python `re` and searched with `re.IGNORECASE`
 * (deadends.dev generator/lookup.py: `re.compile(canon["error"]["regex"], re.IGNORECASE)`).
 * This turns one into the RE2 pattern that matches the same texts, rewriting only Python syntax
 * whose meaning is certain and that RE2 lacks or reads differently:
 *
 * - case-insensitivity: `(?i)` is prepended, as the KB itself always searches case-insensitively;
 * - `\Z` (end of text) → `\z` (RE2 rejects `\Z`);
 * - `{,n}` → `{0,n}` (Python: 0 to n repetitions; RE2: the literal text "{,n}");
 * - `(?#…)` comments are dropped (RE2 rejects them).
 *
 * Not rewritten (no exact RE2 equivalent, or cannot be expressed; RE2 then reports an error, or
 * the difference is accepted): lookaround, backreferences `(?P=name)`/`\1`, `(?x)` verbose mode;
 * `\d \w \s \b` are ASCII in RE2 but Unicode-aware in Python; `$` also matches before a final
 * "\n" in Python, only at the very end in RE2.
 */

export interface TranslatedRegex {
  regex: string;
  /** Python-only constructs that were rewritten, for reports (empty when the syntax was RE2-clean). */
  rewrites: string[];
}

const LEADING_FLAGS_WITH_I = /^\(\?[a-zA-Z]*i[a-zA-Z]*\)/;

export function pythonRegexToRe2(source: string): TranslatedRegex {
  const rewrites: string[] = [];
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'Z' && !inClass) {
        out += '\\z';
        rewrites.push('\\Z → \\z');
      } else out += ch + next;
      i += 2;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      i++;
      // A "]" right after "[" or "[^" is a literal member, not the end of the class.
      if (source[i] === '^') out += source[i++];
      if (source[i] === ']') out += source[i++];
      continue;
    }
    if (source.startsWith('(?#', i)) {
      const end = source.indexOf(')', i);
      if (end !== -1) {
        rewrites.push('(?#…) comment dropped');
        i = end + 1;
        continue;
      }
    }
    if (ch === '{') {
      const upTo = /^\{,(\d+)\}/.exec(source.slice(i));
      if (upTo && out !== '') {
        out += `{0,${upTo[1]}}`;
        rewrites.push(`${upTo[0]} → {0,${upTo[1]}}`);
        i += upTo[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { regex: LEADING_FLAGS_WITH_I.test(out) ? out : `(?i)${out}`, rewrites };
}
