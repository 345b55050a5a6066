/**
 * What a plain-text line looks like to the multi-line joiner: the start of a record, or a
 * continuation of a stack trace (Java, .NET, Python, Node, Go). Only the head of the line is read.
 */

export type LineKind =
  | 'blank'
  | 'json' // `{…}` on one line: always a record of its own
  | 'indented' // starts with a space or tab: stack frames, wrapped messages
  | 'continuation' // unindented but unmistakably part of the previous record (`at `, `Caused by:`, …)
  | 'exception-header' // `java.net.SocketException: …`, `System.Net.Http.HttpRequestException: …`
  | 'py-traceback' // `Traceback (most recent call last):`
  | 'py-chain' // `During handling of the above exception…`, `The above exception was the direct cause…`
  | 'go-goroutine' // `goroutine 1 [running]:`
  | 'go-panic' // `panic: …`, `fatal error: …`: starts a record that a goroutine dump follows
  | 'go-signal' // `[signal SIGSEGV: …]` right after a panic line
  | 'erlang-report' // `=ERROR REPORT==== 3-Dec-2026::10:00:00 ===`: its body follows, up to a blank line
  | 'other';

/** Long enough for any exception class name; the rest of a line never changes its kind. */
export const HEAD_LENGTH = 200;

const CONTINUATION =
  /^(?:at[ \t]+\S|Caused[ \t]+by:\s|Suppressed:\s|Wrapped[ \t]+by:\s|\.\.\.[ \t]+\d+[ \t]+(?:more|common frames omitted)|--->\s|---[ \t]+End[ \t]+of\s|[}\])]+[,;]?\s*$)/;
const EXCEPTION_HEADER =
  /^(?:[A-Za-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable|Fault|Failure)(?: \([^)]*\))?(?::|\s*$)/;
/**
 * A Python traceback's header, however it was printed: `Traceback (most recent call last):`,
 * lower-cased by a log pipeline or a pasted ticket (`traceback (most recent call last):`), the
 * `Traceback (innermost last):` of Python 1.5 and Jython 2.x, and Python 3.11's exception groups
 * (`Exception Group Traceback (most recent call last):`).
 */
const PY_TRACEBACK = /^(?:exception group )?traceback \((?:most recent call|innermost) last\):/i;
/** The header at the end of a log line (`… ERROR [app] Traceback (most recent call last):`) or indented under one. */
const PY_TRACEBACK_TAIL = /\btraceback \((?:most recent call|innermost) last\):\s*$/i;
/** How much of a line's end PY_TRACEBACK_TAIL reads. */
const TAIL_LENGTH = 48;
const PY_CHAIN =
  /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)/;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:/;
const GO_PANIC = /^(?:panic: |fatal error: )/;
const GO_SIGNAL = /^\[signal /;
/**
 * Erlang/OTP's error_logger (and logger's legacy tty format) header: `=ERROR REPORT====`,
 * `=CRASH REPORT====`, `=SUPERVISOR REPORT====`, `=INFO REPORT====`, `=WARNING REPORT====`,
 * `=PROGRESS REPORT====`, then the time and ` ===`. The report's text is on the lines below it.
 */
const ERLANG_REPORT = /^=[A-Z]+(?: [A-Z]+)? REPORT={2,}\s/;
/** lager's crash log (ejabberd, Riak, RabbitMQ 3.x) writes the date first: `2017-11-22 14:27:27 =ERROR REPORT====`. */
const LAGER_REPORT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? =[A-Z]+(?: [A-Z]+)? REPORT={2,}/;
/** The last line of a Python traceback: `ValueError: …`, `requests.exceptions.ConnectionError: …`, `KeyboardInterrupt`. */
const PY_EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?::(?:\s|$)|\s*$)/;
/** A Go frame's function line: `main.main()`, `net/http.(*conn).serve(0xc000…)`, `created by …`. */
const GO_FRAME = /^(?:created by |\.\.\.additional frames elided\.\.\.|[^\s(]+\(.*\)\s*$)/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c;
}

function codeAt(line: Buffer | string, i: number): number {
  return typeof line === 'string' ? line.charCodeAt(i) : (line[i] ?? 0);
}

/** Whether the line starts with an ASCII digit (a timestamp, or lager's date-first header). */
export function startsWithDigit(line: Buffer | string): boolean {
  return isDigit(codeAt(line, 0));
}

/**
 * The last two Buffer lines' heads: the line reader asks several questions of a line and of the
 * one before it (its kind, its prefix, whether it continues a wrap), each of which needs the head,
 * and decoding it from bytes every time cost a scan of the loghub lines ~8 % of its CPU. Keyed by
 * the Buffer object: a line's bytes are not rewritten while the reader holds it.
 */
let headA: { line: Buffer; head: string } | undefined;
let headB: { line: Buffer; head: string } | undefined;

/** The first HEAD_LENGTH characters; bytes are read as Latin-1, which keeps ASCII as is. */
export function lineHead(line: Buffer | string): string {
  if (typeof line === 'string') return line.length <= HEAD_LENGTH ? line : line.slice(0, HEAD_LENGTH);
  if (headA?.line === line) return headA.head;
  if (headB?.line === line) return headB.head;
  const head = line.toString('latin1', 0, Math.min(line.length, HEAD_LENGTH));
  headB = headA;
  headA = { line, head };
  return head;
}

export function classifyLine(line: Buffer | string): LineKind {
  const n = line.length;
  let i = 0;
  while (i < n && isSpace(codeAt(line, i))) i++;
  if (i === n) return 'blank';
  const first = codeAt(line, 0);
  if (first === 0x20 || first === 0x09) return 'indented';
  if (first === 0x7b) {
    let end = n - 1;
    while (end > 0 && isSpace(codeAt(line, end))) end--;
    if (codeAt(line, end) === 0x7d) return 'json';
  }
  // Timestamps start most ordinary lines: nothing below begins with a digit. A lager report header
  // is checked only when a '=' sits where it would (after the seconds or the milliseconds).
  if (isDigit(first)) {
    const eq = codeAt(line, 20) === 0x3d || codeAt(line, 24) === 0x3d || codeAt(line, 27) === 0x3d;
    return eq && LAGER_REPORT.test(lineHead(line)) ? 'erlang-report' : 'other';
  }
  const h = lineHead(line);
  if (CONTINUATION.test(h)) return 'continuation';
  if (PY_TRACEBACK.test(h)) return 'py-traceback';
  if (PY_CHAIN.test(h)) return 'py-chain';
  if (GO_GOROUTINE.test(h)) return 'go-goroutine';
  if (GO_PANIC.test(h)) return 'go-panic';
  if (GO_SIGNAL.test(h)) return 'go-signal';
  if (ERLANG_REPORT.test(h)) return 'erlang-report';
  if (EXCEPTION_HEADER.test(h)) return 'exception-header';
  return 'other';
}

/**
 * Whether the line ends with a traceback header (at its end after a log line's head, or indented):
 * the lines below it are a traceback, up to its exception line. Only a line whose last visible
 * character is `:` is read further.
 */
export function endsWithTracebackHeader(line: Buffer | string): boolean {
  let end = line.length - 1;
  while (end > 0 && isSpace(codeAt(line, end))) end--;
  if (codeAt(line, end) !== 0x3a) return false;
  const from = Math.max(0, end + 1 - TAIL_LENGTH);
  const tail = typeof line === 'string' ? line.slice(from, end + 1) : line.toString('latin1', from, end + 1);
  return PY_TRACEBACK_TAIL.test(tail);
}

export function isPythonExceptionLine(line: Buffer | string): boolean {
  return PY_EXCEPTION_LINE.test(lineHead(line));
}

/**
 * The last line of a Python traceback whose name reads as an exception class (`OSError: …`,
 * `socket.error: …` of Python 2, `ConnectionRefusedError`): stricter than isPythonExceptionLine, for
 * traceback fragments that were quoted without their `Traceback (most recent call last):` header.
 */
const PY_EXCEPTION_CLASS_LINE =
  /^(?:(?:[a-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Timeout|Failure)|_?(?:socket|select|ssl)\.(?:error|timeout|gaierror|herror))(?::(?:\s|$)|\s*$)/;

export function isPythonExceptionClassLine(line: Buffer | string): boolean {
  return PY_EXCEPTION_CLASS_LINE.test(lineHead(line));
}

export function isGoFrameLine(line: Buffer | string): boolean {
  return GO_FRAME.test(lineHead(line));
}

/**
 * A line that continues the one above it because something wrapped the message at a width (a
 * terminal, a log viewer, an issue tracker: `…could not be performed` / `because the system
 * lacked…`, `…java.util.concur` / `rent.ThreadPoolExecutor…`): it starts in the middle of a
 * sentence, with a lower-case letter or `=`/`,`/`;`/`)`, and has nothing of a record's own start.
 * Not a wrap: logfmt (`level=error …`), a lower-case level or a `program[pid]:`/`name: ` prefix
 * (`error: …`, `sshd[42]: …`, `http: Accept error…`), or a date or a time near its start (a
 * record of a logger that begins with its file or host name: `nova-api.log.1.2017-05-16_13:53:08 …`).
 */
const WRAP_START = /^[a-z=,;)]/;
const NOT_WRAPPED =
  /^(?:[a-z_][\w.-]*=|(?:error|err|warn|warning|info|debug|trace|fatal|panic|notice|crit|critical|severe|alert|emerg)\b|[\w.-]+\[\d+\]:|[a-z][\w./-]*: )/;
const DATE_OR_TIME = /\d{1,2}:\d\d:\d\d|\d{4}-\d\d-\d\d|\d{4}\/\d\d\/\d\d/;
/** How far into a line a date or time makes it a record of its own. */
const DATE_HEAD = 60;

export function isWrappedContinuation(line: Buffer | string): boolean {
  const head = lineHead(line);
  return WRAP_START.test(head) && !NOT_WRAPPED.test(head) && !DATE_OR_TIME.test(head.slice(0, DATE_HEAD));
}

/**
 * The rest of a message cut at a width that starts with something other than a lower-case word
 * (`(1) reached, client connections are being dropped`, `[10.142.0.5]:51068 on … past MaxStartups`,
 * `'max_user_connections' resource`, `/services/broker/connect/…`, `53300)`): a line with none of
 * a record's own heads — a timestamp, a date or a time near its start, a level, a bracketed head
 * (`[INFO]`, `[2024-…`, `[main]`), a syslog `<PRI>` or month, a `program[pid]:`, `Name: ` or an
 * exception's class (`Error: …`, `Exception in thread …`), glog's `E1203 `, Android's `E/Tag`.
 * Only read after a line long enough to have been cut (MIN_WRAPPED_LENGTH).
 */
const TAIL_START = /^[^\sA-Z]/;
const RECORD_START =
  /^(?:(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)\d{2,}[-/.: ]\d|\d{5,}\s|\d{1,4}\s+[A-Za-z]\w*-\w|\[\s*(?:\d+(?:\.\d+)?\]|[A-Za-z][\w.-]*\]|[A-Z]{3,}\b)|<\d+>|[A-Z][a-z]{2} [ \d]?\d\b|[A-Z][A-Z0-9_]{2,}\b|[A-Z]\/|[IWEF]\d{4}\s|[A-Z][\w$.-]*: |[\w.-]+\[\d+\]:|(?:[\w$]+\.)*[A-Z][\w$]*(?:Exception|Error)\b|Exception in |- \d|\.\.\.|---|\*{3}|#{1,6} )/;
/** NOT_WRAPPED without its `name: ` prefix where a cut word makes one (`n: too many executing`, `cketException: …`). */
const NOT_WRAPPED_TAIL =
  /^(?:[a-z_][\w.-]*=|(?:error|err|warn|warning|info|debug|trace|fatal|panic|notice|crit|critical|severe|alert|emerg)\b|[\w.-]+\[\d+\]:|[a-z][\w./-]{2,}(?<!Exception|Error): )/;

/**
 * An end no message has: open punctuation, a dangling word or a space that a wrap left behind
 * (`… drop connection #11 from`, `… pthread_create failed with`, `… current=2047,`, `… constructor `). The next line is its rest, unless it has a
 * record's own head (a timestamp, a level, a date).
 */
const DANGLING_END = /(?:[,([{&|+]|\w=|\S $|\b(?:at|of|in|for|to|the|a|an|and|or|from|with|by|on|is|was|be|not|than|as|into|via|because|due)) *$/i;
/** How much of the line above is read for its end. */
const END_LENGTH = 12;

function lineEnd(line: Buffer | string): string {
  const from = Math.max(0, line.length - END_LENGTH);
  return typeof line === 'string' ? line.slice(from) : line.toString('latin1', from);
}

/** Whether `above` ends where no message ends (DANGLING_END). */
export function endsDangling(above: Buffer | string): boolean {
  return DANGLING_END.test(lineEnd(above));
}

/** Whether `line` has a record's own head: a timestamp, a level, a bracketed head, a date near its start. */
export function hasRecordHead(line: Buffer | string): boolean {
  const head = lineHead(line);
  return RECORD_START.test(head) || DATE_OR_TIME.test(head.slice(0, DATE_HEAD));
}

/**
 * The heads a logger prints (a timestamp, a level, a syslog head, `program[pid]:`), without the
 * `Name: ` and exception-class starts of RECORD_START: after a line that ends mid-phrase
 * (`…largest: 83),` ⏎ `Task: 83 (completed: 83)`) those are the list or the message going on.
 */
const LOGGER_HEAD =
  /^(?:(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)\d{2,}[-/.: ]\d|\d{5,}\s|\d{1,4}\s+[A-Za-z]\w*-\w|\[\s*(?:\d+(?:\.\d+)?\]|[A-Za-z][\w.-]*\]|[A-Z]{3,}\b)|<\d+>|[A-Z][a-z]{2} [ \d]?\d\b|(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL|SEVERE|CRITICAL|NOTICE)\b|[IWEF]\d{4}\s|[\w.-]+\[\d+\]:|- \d)/;

/** Whether `line` has a logger's own head (LOGGER_HEAD) or a date near its start. */
export function hasLoggerHead(line: Buffer | string): boolean {
  const head = lineHead(line);
  return LOGGER_HEAD.test(head) || DATE_OR_TIME.test(head.slice(0, DATE_HEAD));
}

/**
 * Whether `line` may be the rest of a line cut at a width (see TAIL_START). Not one that starts
 * in upper case: after a line that merely has no ending, `Unhandled exception. …` or
 * `Server listening` is as likely a message of its own (a program's stderr between log lines).
 */
export function isWrappedTail(line: Buffer | string): boolean {
  const head = lineHead(line);
  return TAIL_START.test(head) && !NOT_WRAPPED_TAIL.test(head) && !hasRecordHead(line);
}

/** The length of the line's first word: a wrap at a space moved it down because it did not fit. */
export function firstWordLength(line: Buffer | string): number {
  const head = lineHead(line);
  const space = head.search(/\s/);
  return space < 0 ? head.length : space;
}
