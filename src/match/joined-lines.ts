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
 * view but not the text is a hit too, with its span mapped back to the text (record-text.ts).
 *
 * Only short texts that are not stack traces (of a stack trace, only the message lines above its
 * first frame, and below it only the rest of a line a wrap cut, never a frame, a cause or an
 * exception's own line: `joinedViews`): a wrapped message or a message with its error is a few lines, while joining
 * a long stack trace would let a rule's context window reach across frames that belong to other
 * calls, and would multiply the matching cost of large records. And only at breaks before a line
 * that does not start a record of its own (a timestamp, a level, a JSON object: `continuesLine`):
 * several events in one record (a batch of lines, a pasted log) are not one wrapped message, a
 * rule's context must not run from one event into the next, and matching such a record three
 * times tripled its cost (bench:match's records of several loghub lines: 8-10 µs → 27-31 µs).
 */
import { rewriteView, type TextView } from './text-view.js';

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
const FRAME_LINE = /\n[ \t]*(?:at[ \t]+[\w$.<>/\\]|File[ \t]+"|Caused[ \t]+by:[ \t]|--->[ \t]|\.\.\.[ \t]+\d+[ \t]+more|---[ \t]+End[ \t]+of[ \t]|在[ \t])/;

const BREAK_AND_INDENT = /\r?\n[ \t]*/g;

/**
 * The head of a line that begins a log record of its own: a timestamp (`2026-12-01 …`,
 * `081109 203615 …`, `03-17 16:13:38.811 …`, a sequence number `134681 node-246 …`), a level (`ERROR …`, `WARN: …`), a JSON object; or a
 * date or a time of day near its start (`Dec  1 10:00:01 host app[1]: …`, `[Sun Dec 04 04:47:44
 * 2005] [error] …`, `- 1117838570 2005.06.03 R02-M1 …`); not an IP address (`10.1.2.3:443`, the end
 * of a message cut at a width), unless a time follows it. A wrapped line continues mid-sentence,
 * and a message's error field (`Too many open files`) has none of these.
 */
const RECORD_HEAD = /^(?:(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)\d{2,}[-/.: ]\d|\d{5,}\s|\{"|(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL|SEVERE|CRITICAL|NOTICE)\b)/;
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

/** What a line break (and the next line's indentation) becomes in each joined view. */
const JOINS: readonly string[] = [
  ' ',
  // The indentation goes too: kept, it would split a word cut by a wrap with a hanging indent.
  // But not one lone space: that is the space a cut inside a line fell before (`…limits` ⏎
  // ` reached`), in a text whose other breaks were cut inside words (`unable to c` ⏎ `reate`).
  '',
];

/** What the break `m` becomes in the view that joins by `by` (JOINS). */
function joinWith(by: string, m: RegExpExecArray): string {
  return by === '' && LONE_SPACE.test(m[0]) ? ' ' : by;
}
const LONE_SPACE = /^\r?\n $/;

/**
 * The joined views of `text`: none unless `joinable`; of a stack trace (a text with a frame or a
 * cause line: `at …`, `File "…"`, `Caused by: …`), views with only its message lines above the
 * first frame joined (`java.net.SocketEx⏎ception: Too many open files⏎\tat …`), its frames left
 * as they are, so a rule's context and guards still see them on their own lines.
 */
export function joinedViews(text: string): TextView[] {
  if (text.indexOf('\n') < 0) return [];
  if (joinable(text)) return JOINS.map((by) => joinedView(text, BREAK_AND_INDENT, by));
  // A stack trace's frames are never joined, so a long one costs only the search for its first
  // frame; past this size (a dump, not a message) not even that.
  if (text.length > MAX_JOINED_TEXT * 4) return [];
  const frame = FRAME_LINE.exec(text);
  if (frame === null) return [];
  const head = joinable(text.slice(0, frame.index));
  // Below the first frame, only the rest of a line a wrap cut (`\tat …processPendi` ⏎
  // `ngRequest(AbstractNIOConnPool.java:364)`, `---> …SocketException (99): Cannot assign` ⏎
  // ` requested address`): a line that is not a frame, a cause or an exception's own line.
  const tail = cutLines(text, frame.index);
  if (!head && !tail) return [];
  return JOINS.map((by) => rewriteView(text, BREAK_AND_INDENT, (m) => (joinsAt(text, m.index, frame.index, head, tail) ? joinWith(by, m) : undefined)));
}

/**
 * A line of a stack trace that starts a part of its own: a frame or a cause (FRAME_LINE's), a
 * Python exception's line (`OSError: [Errno 24] …`), a .NET/Java exception (`System.Net.…Exception`).
 */
const TRACE_PART = /^[ \t]*(?:at[ \t]+[\w$.<>/\\]|File[ \t]+"|Caused[ \t]+by:|Suppressed:|--->|\.\.\.[ \t]+\d+|---[ \t]|在[ \t]|(?:[\w$]+\.)*[A-Z][\w$]*(?:Error|Exception|Warning|Exit|Interrupt|Timeout|Failure)\b|\^|~)/;
/** A Python frame's line: the source line below it is not its wrapped rest. */
const PY_FRAME = /^[ \t]*File[ \t]+"/;

/** The line starting at `i` (up to HEAD characters of it). */
function lineAt(text: string, i: number, head = 120): string {
  const end = text.indexOf('\n', i);
  return text.slice(i, Math.min(end < 0 ? text.length : end, i + head));
}

/** Whether the break at `at` (below the first frame) joins the rest of a cut line to it. */
function cutAt(text: string, at: number): boolean {
  const next = text.indexOf('\n', at) + 1;
  const prevStart = text.lastIndexOf('\n', at - 1) + 1;
  if (PY_FRAME.test(lineAt(text, prevStart))) return false;
  return !TRACE_PART.test(lineAt(text, next)) && continuesLine(text, next);
}

/** Whether any break below the first frame (at `from`) is a cut line's (cutAt). */
function cutLines(text: string, from: number): boolean {
  let breaks = 0;
  for (let i = text.indexOf('\n', from + 1); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++breaks > MAX_JOINED_LINE_BREAKS * 8) return false;
    if (text.charCodeAt(i + 1) === 0x0a || i + 1 >= text.length) continue;
    if (cutAt(text, i)) return true;
  }
  return false;
}

/** Whether the line break at `at` joins in a stack trace's joined views (the message's above `frame`, a cut line's below). */
function joinsAt(text: string, at: number, frame: number, head: boolean, tail: boolean): boolean {
  if (at < frame) return head && continuesLine(text, text.indexOf('\n', at) + 1);
  return tail && at > frame && cutAt(text, text.indexOf('\n', at));
}

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

/** A joined view: the text with some line breaks joined, and the way back to its offsets. */
export type JoinedView = TextView;

/**
 * `text` with every match of `pattern` (global) before `end` replaced by `by`, except where the
 * line after it starts a record of its own (`continuesLine`), and the way back to its offsets.
 */
export function joinedView(text: string, pattern: RegExp, by: string, end = text.length): JoinedView {
  // The replacement maps to the start of the break it replaced.
  return rewriteView(text, pattern, (m) => (m.index < end && continuesLine(text, text.indexOf('\n', m.index) + 1) ? joinWith(by, m) : undefined));
}
