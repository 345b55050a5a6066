/**
 * Messages between the pool (main thread) and a matcher thread. Texts go in as a plain string
 * array: structured clone copies flat strings cheaply and exactly (measured 0.17-0.27 µs per
 * 500-byte record on the main thread, against 0.37-0.48 µs to pack them into one transferred
 * UTF-8 buffer, which would also turn lone surrogates into U+FFFD). Matches come back packed
 * in one Int32Array whose buffer is transferred, never as an array of objects.
 */
import type { Rule, RuleGuard } from '../kb/types.js';
import type { RuleMatch } from '../match/types.js';

/** What a thread needs of a rule to compile it: buildBank reads nothing else. */
export interface ThreadRule {
  id: string;
  file: string;
  patterns: { regex: string }[];
  /** The rule's `unless` guards, when it has any: a thread's bank must silence what the main thread's does. */
  unless?: RuleGuard[];
}

/** A rule as a thread gets it (see ThreadRule). */
export function threadRule(rule: Rule): ThreadRule {
  const out: ThreadRule = { id: rule.id, file: rule.file, patterns: rule.patterns.map((p) => ({ regex: p.regex })) };
  if (rule.unless !== undefined) out.unless = rule.unless.map((g) => ({ regex: g.regex, field: g.field }));
  return out;
}

export type ToThread =
  | { type: 'load'; generation: number; rules: ThreadRule[] }
  | { type: 'drop'; generation: number }
  | { type: 'match'; chunk: number; generation: number; texts: string[] };

export type FromThread =
  | { type: 'loaded'; generation: number }
  | { type: 'load-failed'; generation: number; error: string }
  | { type: 'matched'; chunk: number; packed: ArrayBuffer }
  | { type: 'match-failed'; chunk: number; error: string };

const FIELDS = 4;
/** Most texts match nothing: they share one empty list rather than each getting its own. */
const NONE = Object.freeze([]) as unknown as RuleMatch[];

/** Per text: its match count, then rule, pattern, start, end of each match. */
export function packMatches(results: readonly (readonly RuleMatch[])[]): Int32Array {
  let size = results.length;
  for (const r of results) size += r.length * FIELDS;
  const out = new Int32Array(size);
  let at = 0;
  for (const r of results) {
    out[at++] = r.length;
    for (const m of r) {
      out[at++] = m.rule;
      out[at++] = m.pattern;
      out[at++] = m.start;
      out[at++] = m.end;
    }
  }
  return out;
}

/** The inverse of packMatches; `texts` results are written into `into` from `offset`. */
export function unpackMatches(packed: Int32Array, texts: number, into: RuleMatch[][], offset: number): void {
  let at = 0;
  for (let i = 0; i < texts; i++) {
    const n = packed[at++] ?? 0;
    if (n === 0) {
      into[offset + i] = NONE;
      continue;
    }
    const list: RuleMatch[] = [];
    for (let k = 0; k < n; k++) {
      list.push({ rule: packed[at] ?? 0, pattern: packed[at + 1] ?? 0, start: packed[at + 2] ?? 0, end: packed[at + 3] ?? 0 });
      at += FIELDS;
    }
    into[offset + i] = list;
  }
  if (at !== packed.length) throw new Error(`packed matches hold ${packed.length} values, read ${at} for ${texts} texts`);
}
