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
 * line's indentation) turned into one space, and each line break (with the next line's
 * indentation too: a viewer that wraps with a hanging indent cuts `Too many op⏎    en files`)
 * removed; a rule that matches a
 * view but not the text is a hit too, with its span mapped back to the text. The bank itself
 * stays exact (its results equal testing each rule on the text, which its property tests check);
 * this is the match stage's reading of a record, used by scan, the worker, the matcher threads
 * and `rules test` alike, so examples test what runs.
 *
 * Only short texts that are not stack traces: a wrapped message or a message with its error is a few lines, while joining
 * a long stack trace would let a rule's context window reach across frames that belong to other
 * calls, and would multiply the matching cost of large records. And only at breaks before a line
 * that does not start a record of its own (a timestamp, a level, a JSON object: `continuesLine`):
 * several events in one record (a batch of lines, a pasted log) are not one wrapped message, a
 * rule's context must not run from one event into the next, and matching such a record three
 * times tripled its cost (bench:match's records of several loghub lines: 8-10 µs → 27-31 µs).
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

/**
 * The head of a line that begins a log record of its own: a timestamp (`2026-12-01 …`,
 * `081109 203615 …`, `03-17 16:13:38.811 …`, a sequence number `134681 node-246 …`), a level (`ERROR …`, `WARN: …`), a JSON object; or a
 * date or a time of day near its start (`Dec  1 10:00:01 host app[1]: …`, `[Sun Dec 04 04:47:44
 * 2005] [error] …`, `- 1117838570 2005.06.03 R02-M1 …`). A wrapped line continues mid-sentence,
 * and a message's error field (`Too many open files`) has none of these.
 */
const RECORD_HEAD = /^(?:\d{2,}[-/.: ]\d|\d{5,}\s|\{"|(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL|SEVERE|CRITICAL|NOTICE)\b)/;
const DATE_OR_TIME = /\d{1,2}:\d\d:\d\d|\d{4}[-/.]\d\d[-/.]\d\d/;
/** How far into a line a date or a time makes it a record of its own. */
const DATE_HEAD = 60;

/** Whether the line that starts at `lineStart` (after a break; its indentation is skipped) may continue the line above. */
export function continuesLine(text: string, lineStart: number): boolean {
  let i = lineStart;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  const end = text.indexOf('\n', i);
  const head = text.slice(i, Math.min(i + DATE_HEAD, end < 0 ? text.length : end));
  return !RECORD_HEAD.test(head) && !DATE_OR_TIME.test(head);
}

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
  // The indentation goes too: kept, it would split a word cut by a wrap with a hanging indent.
  [BREAK_AND_INDENT, ''],
];

/** Whether `text` gets joined views: short, not a stack trace, and with a break before a line that may continue the one above. */
export function joinable(text: string): boolean {
  // Most records are one line: one indexOf settles them before the frame regex runs.
  const first = text.indexOf('\n');
  if (first < 0 || text.length > MAX_JOINED_TEXT || FRAME_LINE.test(text)) return false;
  let breaks = 0;
  let joins = 0;
  for (let i = first; i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++breaks > MAX_JOINED_LINE_BREAKS) return false;
    if (continuesLine(text, i + 1)) joins++;
  }
  return joins > 0;
}

export interface JoinedView {
  text: string;
  /** The offset in the original text of an offset in the view (a replaced break maps to where it began). */
  original(offset: number): number;
}

/**
 * `text` with every match of `pattern` (global) replaced by `by`, except where the line after it
 * starts a record of its own (`continuesLine`), and the way back to its offsets.
 */
export function joinedView(text: string, pattern: RegExp, by: string): JoinedView {
  // Piece k of the view starts at viewStarts[k] and was copied from origStarts[k].
  const viewStarts: number[] = [0];
  const origStarts: number[] = [0];
  let out = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const lineStart = text.indexOf('\n', m.index) + 1;
    if (!continuesLine(text, lineStart)) continue;
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
