/**
 * Matching a record's text as the world breaks it. A message reaches us cut into lines that its
 * logger did not make: a terminal, a log viewer or an issue tracker wrapped it at a width (in the
 * middle of a word, `java.util.concur⏎rent`, or at a space, `could not be performed⏎because`),
 * and the decoder joins a structured log's message and its error field with a line break
 * (mongod's `msg` "Error accepting new connection" and `attr.error` "Too many open files").
 * Rules are written from the format strings, which hold no line break, so none of them sees such
 * a message whole.
 *
 * So a short multi-line text is also matched as two joined views, each line break (with the next
 * line's indentation) turned into one space, and each line break removed; a rule that matches a
 * view but not the text is a hit too, with its span mapped back to the text. The bank itself
 * stays exact (its results equal testing each rule on the text, which its property tests check);
 * this is the match stage's reading of a record, used by scan, the worker, the matcher threads
 * and `rules test` alike, so examples test what runs.
 *
 * Only short texts that are not stack traces: a wrapped message or a message with its error is a few lines, while joining
 * a long stack trace would let a rule's context window reach across frames that belong to other
 * calls, and would multiply the matching cost of large records.
 */
import type { MatcherBank, RuleMatch } from './types.js';

/** A text with more line breaks than this is matched as it is (a stack trace, a pasted log). */
export const MAX_JOINED_LINE_BREAKS = 8;
/** Nor one longer than this (UTF-16 units). */
export const MAX_JOINED_TEXT = 4096;

/**
 * A line that starts a stack frame or a cause (Java/.NET `at …`, Python `File "…"`, `Caused by:`,
 * .NET's `--->` inner exception, `... N more`, `--- End of inner exception`): the text is a stack
 * trace or an exception chain, not a wrapped
 * message. Joining its frames onto the message line would let a rule that counts a bare message
 * ("java.io.IOException: Too many open files" with nothing after it) see frames as its context.
 */
const FRAME_LINE = /\n[ \t]*(?:at [\w$.<>/\\]|File "|Caused by: |---> |\.\.\. \d+ more|--- End of |在 )/;

const BREAK_AND_INDENT = /\r?\n[ \t]*/g;
const BREAK = /\r?\n/g;

/** The matches of `text`: the bank's, plus those of its joined views when it is short and has line breaks. */
export function matchRecordText(bank: MatcherBank, text: string): RuleMatch[] {
  const direct = bank.match(text);
  if (!joinable(text)) return direct;
  let merged: RuleMatch[] | undefined;
  for (const [pattern, by] of VIEWS) {
    const view = joinedView(text, pattern, by);
    for (const m of bank.match(view.text)) {
      if (direct.some((d) => d.rule === m.rule) || merged?.some((d) => d.rule === m.rule)) continue;
      merged ??= [];
      merged.push({ rule: m.rule, pattern: m.pattern, start: view.original(m.start), end: view.original(m.end) });
    }
  }
  if (merged === undefined) return direct;
  // Bank order is rule order; callers (tagging, metrics' tie-break) rely on it.
  return [...direct, ...merged].sort((a, b) => a.rule - b.rule);
}

const VIEWS: readonly (readonly [RegExp, string])[] = [
  [BREAK_AND_INDENT, ' '],
  [BREAK, ''],
];

export function joinable(text: string): boolean {
  // Most records are one line: one indexOf settles them before the frame regex runs.
  const first = text.indexOf('\n');
  if (first < 0 || text.length > MAX_JOINED_TEXT || FRAME_LINE.test(text)) return false;
  let breaks = 0;
  for (let i = first; i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++breaks > MAX_JOINED_LINE_BREAKS) return false;
  }
  return breaks > 0;
}

export interface JoinedView {
  text: string;
  /** The offset in the original text of an offset in the view (a replaced break maps to where it began). */
  original(offset: number): number;
}

/** `text` with every match of `pattern` (global) replaced by `by`, and the way back to its offsets. */
export function joinedView(text: string, pattern: RegExp, by: string): JoinedView {
  // Piece k of the view starts at viewStarts[k] and was copied from origStarts[k].
  const viewStarts: number[] = [0];
  const origStarts: number[] = [0];
  let out = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    out += text.slice(last, m.index);
    // The replacement itself maps to the start of the break it replaced.
    viewStarts.push(out.length);
    origStarts.push(m.index);
    out += by;
    last = m.index + m[0].length;
    viewStarts.push(out.length);
    origStarts.push(last);
  }
  out += text.slice(last);
  return {
    text: out,
    original(offset: number): number {
      let lo = 0;
      let hi = viewStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((viewStarts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const k = lo;
      const isReplacement = k % 2 === 1;
      const base = origStarts[k] as number;
      return isReplacement ? base : Math.min(base + (offset - (viewStarts[k] as number)), text.length);
    },
  };
}
