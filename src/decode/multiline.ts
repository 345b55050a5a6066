/**
 * Joins plain-text lines into records: a log line and the stack trace printed under it
 * (Java `at`/`Caused by:`/`... N more`, .NET `--->`/`--- End of inner exception stack trace ---`,
 * Python tracebacks, Node stacks, Go panics, Erlang `=ERROR REPORT====` bodies) become one record, joined with `\n`, so that a rule
 * can match the message and the exception together. Streaming and bounded: a record never holds
 * more than maxLines lines or maxBytes bytes; past that it is emitted and the rest continues in
 * a new record.
 */

import {
  classifyLine,
  endsWithTracebackHeader,
  isGoFrameLine,
  isPythonExceptionClassLine,
  isPythonExceptionLine,
  isWrappedContinuation,
  isWrappedTail,
  endsDangling,
  hasRecordHead,
  hasLoggerHead,
  firstWordLength,
  lineHead,
  startsWithDigit,
  type LineKind,
} from './line-kind.js';
import { linePrefix, type LinePrefix } from './line-prefix.js';

/** A cause in an exception chain, whose message may be wrapped like any other. */
const CAUSE_LINE = /^(?:Caused[ \t]+by|Suppressed|Wrapped[ \t]+by):\s/;

/** A Java/.NET/Node stack frame (`at …`), whatever its indentation: not a Python traceback. */
const AT_FRAME = /^\s+at\s/;
/** A frame line, or a bare `at` a wrap left at the end of a line. */
const AT_LINE_OR_BARE_AT = /^\s*at(?: \S|\s*$)/;
/** How a whole frame ends: `(Foo.java:12)`, `(Native Method)`, `[jar:1.0]`, `~[?:?]`, Node's `:12:5`. */
const FRAME_END = /[)\]>\d]\s*$/;
/** The rest of a cut frame: code (`nnPool.java:364)`, `org.apache.hc.Foo.lease(…)`), not a word. */
const CODE_START = /^[\w$<>/\\-]*[.($:)]/;
/**
 * How a short line ends when a wrap may have cut it: in a word (`…unable to create new`), not
 * the way a whole line ends (a sentence, a banner, a bracket: `Done.`, `=== build done ===`,
 * `[ok]`), nor in binary junk.
 */
const OPEN_END = /[A-Za-z0-9\u0080-\uffff] ?$/;
/** A line that is a message of its own: `name: detail` (`interface conversion: interface is nil`). */
const OWN_MESSAGE = /^[^\s:][^:]{0,60}?: \S/;
/** The first word of a line (up to its first space or tab), read from its head. */
function firstWord(line: Buffer | string): string {
  return lineHead(line).slice(0, firstWordLength(line));
}
/** Whether two lines start with the same word: the same message printed again, not its wrap. */
function sameFirstWord(a: Buffer | string, b: Buffer | string): boolean {
  const w = firstWord(b);
  return w.length > 0 && w === firstWord(a);
}
/** The last characters of a line (its end is all OPEN_END and FRAME_END read). */
function lastTail<T extends Buffer | string>(line: T): T {
  return (line.length <= 16 ? line : line.slice(line.length - 16)) as T;
}
/** An indented line of a stack trace or a dump, not a message: frames of any runtime and locale. */
const INDENTED_FRAME = /^\s+(?:at|en|à|bei|в|在|場所|File|in|from|\.\.\.|--->|---|\||\+)(?:\s|$)|^\s+\S+\(.*\)\s*$/;
/**
 * A list's line that ends in a name with nothing after it (`…, clientName: web, IOCP:`); not a
 * line that merely ends in a colon (`listening:`, `Stats:`), which a line of its own may follow.
 */
const BARE_NAME_END = /[,;] [A-Za-z][\w.-]*:\s*$/;
/** A line that starts with a parenthesised `name=value` list or goes on after one (`(Busy=68,…`, `), v: …`); not a numbered item (`(1) reached`). */
const PAREN_START = /^(?:\([A-Za-z_][\w.-]*[=:]|\)[,;]? [A-Za-z_][\w.-]*[=:])/;
function endsWithBareName<T extends Buffer | string>(line: T): boolean {
  const tail = lastTail(line);
  return BARE_NAME_END.test(typeof tail === 'string' ? tail : tail.toString('latin1'));
}
function startsParenthesized<T extends Buffer | string>(line: T): boolean {
  return PAREN_START.test(lineHead(line));
}
/** A Python frame's line (`  File "/usr/lib/python3.12/socket.py", line 836, in create_connection`). */
const PY_FILE_FRAME = /^\s+File "/;
/** Python 3.11's markers under a frame's source line (`    ^^^^^^^^^^`, `    ~~~~^^^`). */
const PY_MARKERS = /^\s+[~^]+\s*$/;
/** A stack frame line, indented or not (`\tat x.y(Z.java:1)`, `at foo (/app/x.js:1:2)`). */
const AT_LINE = /^\s*at[ \t]+\S/;

export interface JoinedRecord<T extends Buffer | string> {
  /** The lines joined with `\n` (the line itself when the record has one line: no copy). */
  text: T;
  /** Number of the first line (as given to push). */
  line: number;
  /** Lines spanned, from the first to the last joined one (blank lines inside included). */
  lines: number;
  /** The record hit maxLines/maxBytes: the lines after it were emitted as a new record. */
  truncated: boolean;
}

export interface JoinOptions {
  /** Default 1000. */
  maxLines?: number;
  /** Bytes for Buffer lines, UTF-16 units for strings. Default 1 MiB. */
  maxBytes?: number;
}

export const DEFAULT_JOIN_MAX_LINES = 1000;
export const DEFAULT_JOIN_MAX_BYTES = 1024 * 1024;

/**
 * A wrapped message (see isWrappedContinuation) joins its record only while the record is a few
 * lines of plain text: a message of a few hundred characters wrapped at 60-120 columns is two to
 * eight lines, and a cap keeps a log whose lines happen to start in lower case from running
 * together. As many as the match stage's joined views join (MAX_JOINED_LINE_BREAKS): a longer
 * run would not be read whole there either.
 */
export const MAX_WRAPPED_LINES = 8;
/**
 * A line shorter than this was not cut at a width: only a line that starts mid-sentence
 * (isWrappedContinuation) continues it, not one that merely has no head of its own (isWrappedTail).
 */
export const MIN_WRAPPED_LENGTH = 60;

/**
 * Where the open record stands: inside a Python traceback (waiting for its `Error: msg` line),
 * after one (a chained exception may follow), after a Go panic line, inside a goroutine dump.
 */
type Mode = 'none' | 'py' | 'py-done' | 'py-chain' | 'go-panic' | 'go' | 'erlang';

const NEWLINE = 0x0a;

function joinParts<T extends Buffer | string>(parts: readonly T[], blanksBefore: readonly number[]): T {
  if (typeof parts[0] === 'string') {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) out += '\n'.repeat(1 + (blanksBefore[i] ?? 0));
      out += parts[i] as string;
    }
    return out as T;
  }
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += (parts[i] as Buffer).length + (i > 0 ? 1 + (blanksBefore[i] ?? 0) : 0);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) {
      const n = 1 + (blanksBefore[i] ?? 0);
      out.fill(NEWLINE, at, at + n);
      at += n;
    }
    at += (parts[i] as Buffer).copy(out, at);
  }
  return out as T;
}

/** The line without its indentation (a traceback indented under its log line). */
function trimStart<T extends Buffer | string>(line: T): T {
  let i = 0;
  while (i < line.length && (typeof line === 'string' ? line.charCodeAt(i) : (line as Buffer)[i]) === 0x20) i++;
  while (i < line.length && (typeof line === 'string' ? line.charCodeAt(i) : (line as Buffer)[i]) === 0x09) i++;
  return (i === 0 ? line : line.slice(i)) as T;
}

function sliceFrom<T extends Buffer | string>(line: T, from: number): T {
  return (typeof line === 'string' ? line.slice(from) : (line as Buffer).subarray(from)) as T;
}

function modeAtStart(kind: LineKind): Mode {
  switch (kind) {
    case 'py-traceback':
      return 'py';
    case 'go-goroutine':
      return 'go';
    case 'go-panic':
      return 'go-panic';
    case 'erlang-report':
      return 'erlang';
    default:
      return 'none';
  }
}

export class LineJoiner<T extends Buffer | string> {
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly parts: T[] = [];
  /** Blank lines between part i-1 and part i. */
  private readonly blanksBefore: number[] = [];
  private size = 0;
  /** Lines in the open record, blank lines inside it included. */
  private lineCount = 0;
  private firstLine = 0;
  private lastLine = 0;
  private pendingBlanks = 0;
  /** A JSON line: nothing joins it. */
  private closed = false;
  private mode: Mode = 'none';
  /** Wrapped-message lines joined to the open record so far. */
  private wrapped = 0;
  /** Kind of the last line joined to the open record: a wrap continues a message, not a frame. */
  private lastKind: LineKind = 'other';
  /**
   * The open record is a fragment of a Python traceback quoted without its header: it began with
   * an indented line and every line so far is indented, none of them a Java/Node/.NET `at ` frame.
   */
  private pyFragment = false;
  /** The prefix of the open record's first line (line-prefix.ts), which its other lines share. */
  private prefix: LinePrefix | undefined;
  /** The last line joined, without the prefix. */
  private lastRest: T | undefined;

  constructor(opts: JoinOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(opts.maxLines ?? DEFAULT_JOIN_MAX_LINES));
    this.maxBytes = Math.max(1, Math.floor(opts.maxBytes ?? DEFAULT_JOIN_MAX_BYTES));
  }

  /** Feeds one line (without its newline). Returns the record this line completed, if any. */
  push(line: T, lineNo: number): JoinedRecord<T> | undefined {
    // A line of a prefixed record (`svc_1  | \tat …`) is read without the prefix they share.
    let rest = line;
    if (this.prefix !== undefined && this.parts.length > 0) {
      const own = linePrefix(line);
      if (own !== undefined && own.id !== this.prefix.id) {
        const out = this.emit(false);
        this.start(line, lineNo);
        return out;
      }
      if (own !== undefined) rest = sliceFrom(line, own.length);
    }
    const prefixed = rest !== line;
    if (this.parts.length === 0) {
      if (classifyLine(line) === 'blank') return undefined;
      this.start(line, lineNo);
      return undefined;
    }
    const kind = classifyLine(rest);
    if (kind === 'blank') {
      this.pendingBlanks++;
      return undefined;
    }
    const strict = prefixed && this.prefix?.strict === true && !this.traceLine(rest, kind);
    const next = this.closed || strict ? undefined : this.joinMode(rest, kind, prefixed);
    if (next === undefined) {
      const out = this.emit(false);
      this.start(line, lineNo);
      return out;
    }
    const blanks = this.pendingBlanks;
    if (this.lineCount + blanks + 1 > this.maxLines || this.size + blanks + 1 + line.length > this.maxBytes) {
      const out = this.emit(true);
      this.start(line, lineNo);
      this.mode = next;
      return out;
    }
    this.parts.push(line);
    this.blanksBefore.push(blanks);
    this.size += blanks + 1 + line.length;
    this.lineCount += blanks + 1;
    this.lastLine = lineNo;
    this.pendingBlanks = 0;
    this.mode = next;
    this.lastKind = kind;
    this.lastRest = rest;
    if (kind !== 'indented' || AT_FRAME.test(lineHead(rest))) this.pyFragment = false;
    return undefined;
  }

  /** Whether a line under a syslog head is a line of a stack trace (a frame, a cause, a traceback's). */
  private traceLine(rest: T, kind: LineKind): boolean {
    if (kind === 'continuation' || kind === 'exception-header' || kind === 'py-traceback' || kind === 'py-chain') return true;
    if (this.mode === 'py' || this.mode === 'go') return true;
    if (kind === 'indented') {
      const head = lineHead(rest);
      if (INDENTED_FRAME.test(head)) return true;
      // A traceback quoted from its frames (`  File "…", line 1885, in …` under a CI runner's
      // stamp): the source line under a frame, Python 3.11's `^^^^` markers under it.
      const last = this.lastRest;
      return (last !== undefined && PY_FILE_FRAME.test(lineHead(last))) || (this.pyFragment && PY_MARKERS.test(head));
    }
    // …and its exception's line (`BlockingIOError: [Errno 11] …`).
    return kind === 'other' && this.pyFragment && isPythonExceptionClassLine(rest);
  }

  /** Emits the open record, if any: call at end of input. */
  flush(): JoinedRecord<T> | undefined {
    return this.parts.length > 0 ? this.emit(false) : undefined;
  }

  /** The mode after joining `line` to the open record, or undefined when the line starts a new record. */
  private joinMode(line: T, kind: LineKind, prefixed = false): Mode | undefined {
    const mode = this.mode;
    const adjacent = this.pendingBlanks === 0;
    switch (kind) {
      case 'indented':
        if (!adjacent) return this.framesAfterBlank(line) ? mode : undefined;
        // A traceback indented under its log line (`    Traceback (most recent call last):`),
        // whose exception line may be indented too (`    OSError: [Errno 24] …`).
        if (mode === 'none' && endsWithTracebackHeader(line)) return 'py';
        if (mode === 'py' && isPythonExceptionClassLine(line.length > 0 ? trimStart(line) : line)) return 'py-done';
        return mode;
      case 'continuation':
        if (adjacent) return mode;
        return this.framesAfterBlank(line) ? mode : undefined;
      case 'exception-header':
        if (!adjacent) return undefined;
        return mode === 'py' ? 'py-done' : mode;
      case 'py-traceback':
        return adjacent || mode === 'py-chain' ? 'py' : undefined;
      case 'py-chain':
        return adjacent || mode === 'py-done' ? 'py-chain' : undefined;
      case 'go-goroutine':
        // A goroutine dump follows its panic (or SIGQUIT) line after a blank line.
        return 'go';
      case 'go-signal':
        return adjacent && mode === 'go-panic' ? mode : undefined;
      case 'other':
        if (!adjacent) return undefined;
        if (mode === 'py' && isPythonExceptionLine(line)) return 'py-done';
        // `    sock.connect(addr)` / `OSError: [Errno 99] …`: the exception line ends the fragment.
        if (mode === 'none' && this.pyFragment && isPythonExceptionClassLine(line)) return 'py-done';
        if (mode === 'go' && isGoFrameLine(line)) return 'go';
        // An Erlang report's body runs to the blank line that ends it; a timestamped line is a new record.
        if (mode === 'erlang' && !startsWithDigit(line)) return 'erlang';
        // A terminal wraps a prefixed line with the prefix, so its rest has none: a prefixed line is no wrap.
        if (mode === 'none' && !prefixed && this.continuesWrapped(line)) {
          this.wrapped++;
          return 'none';
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * A stack trace printed (or pasted) with a blank line between its message and its frames
   * (`java.io.IOException: Too many open files` ⏎ ⏎ `\tat java.lang.UNIXProcess.forkAndExec(…)`) is
   * one record: an `at ` frame (Java, .NET, Node) after one blank line joins a record whose last
   * line is a message (an exception header, a log line, a cause), so that the rule that reads the
   * message sees the frames that say which call failed. Frames are never a record's first line
   * of their own in a log, and after frames or after two blank lines the trace is another one.
   */
  private framesAfterBlank(line: T): boolean {
    if (this.pendingBlanks !== 1 || this.mode !== 'none' || !AT_LINE.test(lineHead(line))) return false;
    const last = this.lastRest;
    return (
      this.lastKind === 'exception-header' ||
      this.lastKind === 'other' ||
      (this.lastKind === 'continuation' && last !== undefined && CAUSE_LINE.test(lineHead(last)))
    );
  }

  /**
   * Only a message line is continued by a wrap: not a stack frame, not a line of a trace's dump; a
   * cause's line (`Caused by: java.lang.OutOfMemoryError: unable to create new native⏎thread`) is
   * a message line too.
   */
  private continuesWrapped(line: T): boolean {
    // The rest of the line for its kind, the whole line for its length and end (a terminal wraps it whole).
    const rest = this.lastRest;
    const last = this.parts[this.parts.length - 1];
    // A prefixed line (`svc_1  | …`) under an unprefixed one is another program's output.
    if (this.wrapped >= MAX_WRAPPED_LINES || last === undefined || rest === undefined || linePrefix(line) !== undefined) return false;
    const lastHead = lineHead(rest);
    // A frame cut inside (`\tat org.apache…processPendingRequest(AbstractNIOCo` ⏎ `nnPool.java:364)`,
    // or `\tat` ⏎ `org.apache…(…)` when the wrap fell at the space after `at`).
    if ((this.lastKind === 'indented' || this.lastKind === 'continuation') && AT_LINE_OR_BARE_AT.test(lastHead)) {
      return !FRAME_END.test(lineHead(lastTail(last))) && CODE_START.test(lineHead(line)) && !hasRecordHead(line);
    }
    const messageLine =
      this.lastKind === 'other' ||
      this.lastKind === 'exception-header' ||
      (this.lastKind === 'continuation' && CAUSE_LINE.test(lastHead)) ||
      // The message line of a two-line logger (`warn: Category[24]` ⏎ `      Connection id … rejected`).
      (this.lastKind === 'indented' && this.mode === 'none' && !this.pyFragment && !INDENTED_FRAME.test(lastHead));
    if (!messageLine) return false;
    // A `name: value` list cut at a narrow width (StackExchange.Redis' `…, IOCP:` ⏎
    // `(Busy=1,…), WORKER:` ⏎ `(Busy=68,…), v: 2.0.601`): after a name with nothing after it, or
    // before a parenthesised list or the rest of one (`), v: …`), the line goes on, however short.
    // Not a line that merely starts with the list's next items (`in: 0, mc: 1/1/0`): a program's
    // stats lines (`pool: web, active: 3` ⏎ `pool: db, active: 5`) are events of their own.
    if (endsWithBareName(last)) return !hasRecordHead(line);
    // Nor a line like the one above it (`(pool=web) active: 3` ⏎ `(pool=db) active: 5`).
    if (startsParenthesized(line) && !startsParenthesized(rest)) return !hasLoggerHead(line) && isWrappedTail(line);
    // Mid-sentence (`native thread` under `…unable to create new`): a wrap, however short the
    // line above (a narrow column, a quote in a ticket, a pane).
    // Not the record's first message again (`dial tcp …: too many open files` ⏎ `dial tcp …: too
    // many open files`, a program without a log head printing one error per line): each is an
    // event, and joining them would count one. And after a short line, not a line that is a message of its
    // own (`interface conversion: …`): only a width, not an end in a word, says a line was cut there.
    if (isWrappedContinuation(line)) {
      const first = this.parts[0];
      if (first !== undefined && sameFirstWord(first, line)) return false;
      return this.cutAtWidth(last, line) || (OPEN_END.test(lineHead(lastTail(last))) && !OWN_MESSAGE.test(lineHead(line)));
    }
    // After an end no message has (`… #11 from` ⏎ `[10.142.0.5]:51068 on …`): anything without a head.
    if (endsDangling(last)) return !hasLoggerHead(line);
    // Any other start (`(1) reached, …`, `'max_user_connections' …`, `53300)`) without a record's
    // own head continues a line cut at a width: one that the line's first word would have made
    // longer than MIN_WRAPPED_LENGTH (a wrap at a space moves down the word that did not fit).
    return this.cutAtWidth(last, line) && isWrappedTail(line);
  }

  /**
   * Whether `last` may have been cut at a width of MIN_WRAPPED_LENGTH columns or more, with `line`
   * its rest: it is that long, or the rest's first word would have made it longer (a wrap at a
   * space moves down the word that did not fit).
   */
  private cutAtWidth(last: T, line: T): boolean {
    return last.length >= MIN_WRAPPED_LENGTH || last.length + 1 + firstWordLength(line) > MIN_WRAPPED_LENGTH;
  }

  private start(line: T, lineNo: number): void {
    this.prefix = linePrefix(line);
    const rest = this.prefix === undefined ? line : sliceFrom(line, this.prefix.length);
    const kind = classifyLine(rest);
    this.lastRest = rest;
    this.parts.push(line);
    this.blanksBefore.push(0);
    this.size = line.length;
    this.lineCount = 1;
    this.firstLine = lineNo;
    this.lastLine = lineNo;
    this.pendingBlanks = 0;
    this.closed = kind === 'json';
    this.mode = modeAtStart(kind);
    // `2024-03-01 10:15:32 ERROR [app] Traceback (most recent call last):` starts a traceback too.
    if (this.mode === 'none' && kind !== 'json' && endsWithTracebackHeader(rest)) this.mode = 'py';
    this.wrapped = 0;
    this.lastKind = kind;
    this.pyFragment = kind === 'indented' && !AT_FRAME.test(lineHead(rest));
  }

  private emit(truncated: boolean): JoinedRecord<T> {
    const parts = this.parts;
    const text = parts.length === 1 ? (parts[0] as T) : joinParts(parts, this.blanksBefore);
    const record: JoinedRecord<T> = { text, line: this.firstLine, lines: this.lastLine - this.firstLine + 1, truncated };
    // The arrays are reused: the text above no longer refers to them.
    parts.length = 0;
    this.blanksBefore.length = 0;
    this.size = 0;
    this.lineCount = 0;
    this.pendingBlanks = 0;
    this.closed = false;
    this.mode = 'none';
    this.wrapped = 0;
    return record;
  }
}
