import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineJoiner, MAX_WRAPPED_LINES, type JoinedRecord, type JoinOptions } from '../../src/decode/multiline.js';
import * as T from './fixtures/stack-traces.js';
import { LOGHUB_MISSING_REASON, loghubFiles } from './support/loghub.js';

/** Feeds the lines of `text` (numbered from 1) and flushes. */
function join<Line extends Buffer | string>(lines: readonly Line[], opts?: JoinOptions): JoinedRecord<Line>[] {
  const joiner = new LineJoiner<Line>(opts);
  const out: JoinedRecord<Line>[] = [];
  lines.forEach((line, i) => {
    const r = joiner.push(line, i + 1);
    if (r) out.push(r);
  });
  const last = joiner.flush();
  if (last) out.push(last);
  return out;
}

const joinText = (text: string, opts?: JoinOptions) => join(text.split('\n'), opts);
const texts = (records: JoinedRecord<string>[]) => records.map((r) => r.text);

const BEFORE = '2024-03-01 10:15:31,000 INFO [main] c.e.App - handling request 41';
const AFTER = '2024-03-01 10:15:33,000 INFO [main] c.e.App - handling request 43';

/** A trace between two ordinary lines must come out as exactly three records. */
function expectWholeTrace(trace: string): void {
  const records = joinText(`${BEFORE}\n${trace}\n${AFTER}`);
  expect(texts(records)).toEqual([BEFORE, trace, AFTER]);
  const traceLines = trace.split('\n').length;
  expect(records.map((r) => [r.line, r.lines])).toEqual([
    [1, 1],
    [2, traceLines],
    [2 + traceLines, 1],
  ]);
}

describe('LineJoiner: real stack traces', () => {
  it('.NET: inner exceptions (--->), End of inner exception stack trace, previous location', () => expectWholeTrace(T.DOTNET));
  it('.NET: unhandled exception with an HRESULT in the header', () => expectWholeTrace(T.DOTNET_UNHANDLED));
  it('Java: exception header under the message, Caused by, ... N common frames omitted, ... N more', () => expectWholeTrace(T.JAVA));
  it('Java: uncaught exception with a suppressed exception', () => expectWholeTrace(T.JAVA_UNCAUGHT));
  it('Python: logging.exception traceback and its exception line', () => expectWholeTrace(T.PYTHON));
  // A traceback joins the line right before it (logging.exception prints the message there).
  it('Python: chained exceptions across blank lines', () => expectWholeTrace(`2024-03-01 10:15:32,123 ERROR fetch failed\n${T.PYTHON_CHAINED}`));
  it('Python: an exception line without a message', () => expectWholeTrace(`2024-03-01 10:15:32,123 ERROR worker stopped\n${T.PYTHON_BARE}`));
  it('Node: stack and the inspected error properties up to the closing brace', () => expectWholeTrace(T.NODE));
  it('Go: panic, signal line, blank line, goroutine dumps', () => expectWholeTrace(T.GO_PANIC));
  it('Go: fatal error with a created-by frame', () => expectWholeTrace(T.GO_FATAL));

  it('traces one after another stay apart', () => {
    const records = joinText([T.JAVA, T.PYTHON, T.GO_PANIC, T.DOTNET, T.NODE].join('\n'));
    expect(texts(records)).toEqual([T.JAVA, T.PYTHON, T.GO_PANIC, T.DOTNET, T.NODE]);
  });

  it('a Go panic ends at the first line that is not a frame', () => {
    const records = joinText(`${T.GO_PANIC}\nexit status 2`);
    expect(texts(records)).toEqual([T.GO_PANIC, 'exit status 2']);
  });

  it('Buffers join exactly like strings, invalid bytes untouched', () => {
    const bad = Buffer.from([0x20, 0x20, 0x61, 0x74, 0x20, 0xff, 0xfe]); // "  at \xff\xfe"
    const lines = [...T.JAVA.split('\n').map((l) => Buffer.from(l)), bad, Buffer.from(AFTER)];
    const records = join(lines);
    expect(records).toHaveLength(2);
    expect(Buffer.isBuffer(records[0]?.text)).toBe(true);
    expect(records[0]?.text.equals(Buffer.concat([Buffer.from(`${T.JAVA}\n`), bad]))).toBe(true);
    expect(records[1]?.text.toString()).toBe(AFTER);
  });

  it('a single-line record is the pushed line itself (no copy)', () => {
    const line = Buffer.from(BEFORE);
    const records = join([line]);
    expect(records[0]?.text).toBe(line);
  });
});

describe('LineJoiner: record boundaries', () => {
  it('JSON lines are never joined, not even by indented lines', () => {
    const lines = ['{"msg":"a"}', '  {"msg":"b"}', '    at x', '{"msg":"c"}', 'Caused by: y'];
    expect(texts(join(lines))).toEqual(['{"msg":"a"}', '  {"msg":"b"}\n    at x', '{"msg":"c"}', 'Caused by: y']);
  });

  it('a JSON line ends the text record before it', () => {
    expect(texts(joinText(`${T.JAVA}\n{"msg":"x"}`))).toEqual([T.JAVA, '{"msg":"x"}']);
  });

  it('a blank line ends a record: indented lines after it start a new one', () => {
    expect(texts(join(['message', '', '  indented after blank']))).toEqual(['message', '  indented after blank']);
  });

  it('a stack trace with a blank line between its message and its frames is one record', () => {
    const fork = ['java.io.IOException: Too many open files', '', '\tat java.lang.UNIXProcess.forkAndExec(Native Method)', '\tat java.lang.UNIXProcess.<init>(UNIXProcess.java:135)'];
    expect(texts(join([...fork, AFTER]))).toEqual([fork.join('\n'), AFTER]);
    const node = ['Error: connect EADDRNOTAVAIL 10.0.0.1:80', '', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1300:16)'];
    expect(texts(join([BEFORE, ...node]))).toEqual([BEFORE, node.join('\n')]);
    // Not after two blank lines, not after frames (another trace), not other indented lines.
    expect(texts(join(['java.io.IOException: x', '', '', '\tat a.B.c(B.java:1)']))).toEqual(['java.io.IOException: x', '\tat a.B.c(B.java:1)']);
    expect(texts(join(['java.io.IOException: x', '\tat a.B.c(B.java:1)', '', '\tat d.E.f(E.java:2)']))).toEqual(['java.io.IOException: x\n\tat a.B.c(B.java:1)', '\tat d.E.f(E.java:2)']);
    expect(texts(join(['message', '', '  indented after blank']))).toEqual(['message', '  indented after blank']);
  });

  it('blank lines between records are skipped; line numbers stay true', () => {
    const records = join(['', 'a', '', '', 'b', '']);
    expect(records.map((r) => [r.text, r.line, r.lines])).toEqual([
      ['a', 2, 1],
      ['b', 5, 1],
    ]);
  });

  it('ordinary lines never join, whatever letter they start with', () => {
    const lines = ['INFO starting', 'Server listening on :8080', 'ERROR: db down', 'Error: connect ECONNREFUSED', 'WARN slow', '[notice] done'];
    expect(texts(join(lines))).toEqual(lines);
  });

  it('a message wrapped at a width joins the line it continues (terminal, viewer, issue tracker)', () => {
    const wrapped = [
      'System.Net.Sockets.SocketException (10055): An operation on a socket could not be performed',
      'because the system lacked sufficient buffer space or because a queue was full. 10.1.2.3:443',
    ];
    expect(texts(join([...wrapped, AFTER]))).toEqual([wrapped.join('\n'), AFTER]);
    // An exception header joins the log line above it; its wrapped tail joins them both.
    expect(texts(join([BEFORE, ...wrapped, AFTER]))).toEqual([[BEFORE, ...wrapped].join('\n'), AFTER]);
  });

  it('a wrap joins at most MAX_WRAPPED_LINES lines; after a short line only when it starts mid-sentence and the line above is open', () => {
    const long = 'java.util.concurrent.RejectedExecutionException: Task com.example.Job@1f rejected from';
    const parts = Array.from({ length: MAX_WRAPPED_LINES }, (_, i) => `= ${i} queued tasks and some filler to make the line as long as a wrapped one`);
    const more = ['2024-03-01 10:15:33,000 INFO done.', 'and still more'];
    const records = texts(join([long, ...parts, 'and one line too many', ...more]));
    expect(records[0]?.split('\n')).toHaveLength(1 + MAX_WRAPPED_LINES);
    expect(records.slice(1)).toEqual(['and one line too many', ...more]);
    // A narrow column: `…unable to create new` ⏎ `native thread`, whatever the line's length.
    expect(texts(join(['java.lang.OutOfMemoryError: unable to create new', 'native thread']))).toEqual(['java.lang.OutOfMemoryError: unable to create new\nnative thread']);
    expect(texts(join(['short line', 'continues in lower case']))).toEqual(['short line\ncontinues in lower case']);
    // A program without a log head printing one error per line: the same message again is another
    // event (joining them would count one), and so is a line that is a message of its own.
    const repeated = 'dial tcp 10.0.0.1:443: socket: too many open files';
    expect(texts(join([repeated, repeated, repeated]))).toEqual([repeated, repeated, repeated]);
    expect(texts(join(['declared and not used', 'interface conversion: interface is nil, not T']))).toHaveLength(2);
    // A short line that ends as a whole one does (a sentence, a banner, a bracket) is not continued.
    for (const whole of ['Done.', '=== build done ===', 'started [ok]', 'listening:']) expect(texts(join([whole, 'next step']))).toEqual([whole, 'next step']);
    // Nor is a line continued by one that starts in upper case, unless it ended mid-phrase.
    expect(texts(join([BEFORE, 'Uppercase start']))).toEqual([BEFORE, 'Uppercase start']);
    expect(texts(join(['Apr 05 20:56:17 db-node-0-1 sshd[1735]: drop connection #11 from', '[10.142.0.5]:51068 on [10.142.0.17]:22 past MaxStartups']))).toHaveLength(1);
    expect(texts(join(['terminating due to uncaught exception of type std::__1::system_error: thread constructor ', 'failed: Resource temporarily unavailable']))).toHaveLength(1);
    // After a line that ends mid-phrase, a `Name: value` goes on with the list; a logger's head does not.
    const listed = 'pool is EXHAUSTED! Pool Size: 200 (active: 200, core: 200, max: 200, largest: 200),';
    expect(texts(join([listed, 'Task: 83 (completed: 83), Executor status:(isShutdown:false']))).toHaveLength(1);
    expect(texts(join([listed, 'ERROR next record']))).toHaveLength(2);
    expect(texts(join([listed, 'Dec  4 18:40:01 host app[1]: next']))).toHaveLength(2);
  });

  it('a line without a head of its own continues a line cut at a width, whatever it starts with', () => {
    const cut = [
      ['Dec 01 10:12:01 mx dovecot[811]: master: Warning: service(imap): client_limit', '(1) reached, client connections are being dropped (pid=2211, reuse_port=yes)'],
      ["{ [Error: ER_USER_LIMIT_REACHED: User 'app' has exceeded the", "'max_user_connections' resource (current value: 15)] code:"],
      ['failed to connect to `host=db user=app database=app`: server error (SQLSTATE', '53300)'],
      ['Истекло время ожидания. Время ожидания истекло раньше, чем удалось получить подк', 'лючение из пула.'],
    ];
    for (const lines of cut) expect(texts(join([...lines, AFTER])), lines[1]).toEqual([lines.join('\n'), AFTER]);
    // Not after a line too short to have been cut, nor a line with a head of its own.
    expect(texts(join(['short and closed line', '(1) reached']))).toEqual(['short and closed line', '(1) reached']);
    for (const own of ['[INFO] next', '<27>Dec  4 18:40:01 host app[1]: x', '- 1117838570 2005.06.03 R02-M1-N0', 'KERNMNTF 1125552593 2005.08.31 R42']) {
      expect(texts(join([BEFORE, own])), own).toEqual([BEFORE, own]);
    }
  });

  it('a stack frame cut at a width is continued by its rest, not by the next record', () => {
    const frames = ['Caused by: java.util.concurrent.TimeoutException: null', '\tat org.apache.http.nio.pool.AbstractNIOConnPool.processPendingRequest(AbstractNIOCo', 'nnPool.java:364)', '\tat', 'org.apache.http.nio.pool.AbstractNIOConnPool.processNextPendingRequest(AbstractNIOConnPool.java:344)'];
    expect(texts(join([...frames, AFTER]))).toEqual([frames.join('\n'), AFTER]);
    expect(texts(join(['    at a', '    at b', 'next']))).toEqual(['    at a\n    at b', 'next']);
  });

  it('lines that start a record of their own never join as a wrap, however long the line above', () => {
    const long = 'ERROR 2024-03-01 request failed after retries on the upstream service pool';
    const own = [
      'level=error msg="dial failed"',
      'error: connect ECONNREFUSED',
      'warning: disk almost full',
      'sshd[4242]: Accepted publickey for deploy',
      'http: Accept error: accept tcp [::]:80: accept4: too many open files; retrying in 5ms',
      'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server',
      'Uppercase start is a new record',
      'Unhandled exception. System.Exception: boom',
    ];
    for (const line of own) expect(texts(join([long, line])), line).toEqual([long, line]);
  });

  it('a wrap continues a message, not a stack trace', () => {
    const trace = 'java.io.IOException: broken pipe while writing the response body\n\tat com.example.Io.write(Io.java:10)';
    expect(texts(join([...trace.split('\n'), 'continues in lower case and is a new record']))).toEqual([trace, 'continues in lower case and is a new record']);
  });

  it('a wrap continues the message of a cause in a chain, and the frames below join it', () => {
    const chain = [
      'java.lang.IllegalStateException: worker pool could not start the requested number of threads',
      'Caused by: java.lang.OutOfMemoryError: unable to create new native',
      'thread',
      '\tat java.lang.Thread.start0(Native Method)',
    ];
    expect(texts(join([...chain, AFTER]))).toEqual([chain.join('\n'), AFTER]);
  });

  it('a Python traceback whose header is lower-cased, old, at the end of a log line or indented is one record', () => {
    const body = ['  File "/app/client.py", line 12, in connect', '    sock.connect(addr)', 'OSError: [Errno 99] Cannot assign requested address'];
    for (const header of ['traceback (most recent call last):', 'TRACEBACK (MOST RECENT CALL LAST):', 'Traceback (innermost last):', '2024-03-01 10:15:32,123 ERROR [app] Traceback (most recent call last):']) {
      expect(texts(join([header, ...body, AFTER])), header).toEqual([[header, ...body].join('\n'), AFTER]);
      expect(texts(join([BEFORE, header, ...body, AFTER])), header).toEqual(header.startsWith('2024') ? [BEFORE, [header, ...body].join('\n'), AFTER] : [[BEFORE, header, ...body].join('\n'), AFTER]);
    }
    // Indented under its log line, its exception line unindented or indented like the header.
    const indented = ['2024-03-01 10:15:32,123 ERROR fetch failed', '    Traceback (most recent call last):', '      File "/app/client.py", line 12, in connect', '        sock.connect(addr)'];
    expect(texts(join([...indented, 'OSError: [Errno 99] Cannot assign requested address', AFTER]))).toEqual([[...indented, 'OSError: [Errno 99] Cannot assign requested address'].join('\n'), AFTER]);
    // An indented exception line ends it: the next line that merely looks like one is a record.
    expect(texts(join([...indented, '    OSError: [Errno 99] Cannot assign requested address', 'Done: 3 retries']))).toEqual([[...indented, '    OSError: [Errno 99] Cannot assign requested address'].join('\n'), 'Done: 3 retries']);
    // Python 3.11 exception groups.
    const group = ['Exception Group Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', 'ExceptionGroup: errors (2 sub-exceptions)'];
    expect(texts(join([...group, AFTER]))).toEqual([group.join('\n'), AFTER]);
    // A line that only mentions a traceback is not one.
    expect(texts(join(['printing the traceback (most recent call last): below', 'Done: ok']))).toEqual(['printing the traceback (most recent call last): below', 'Done: ok']);
  });

  it('a Python exception line outside a traceback does not join', () => {
    expect(texts(join(['done', 'ValueError: bad input']))).toEqual(['done', 'ValueError: bad input']);
  });

  it('a traceback fragment quoted without its header ends at its exception line', () => {
    const fragment = '  File "/app/thriftpy/transport/socket.py", line 96, in open\n    self.sock.connect(addr)\nOSError: [Errno 99] Cannot assign requested address';
    expect(texts(joinText(`${fragment}\n${AFTER}`))).toEqual([fragment, AFTER]);
    const code = '    self.sock.connect(addr)\nConnectionRefusedError: [Errno 111] Connection refused';
    expect(texts(joinText(code))).toEqual([code]);
    const py2 = '    sock.connect(sa)\nsocket.error: [Errno 99] Cannot assign requested address';
    expect(texts(joinText(py2))).toEqual([py2]);
  });

  it('a fragment of at-frames (Java, Node, .NET) is not a Python traceback: the next error starts a record', () => {
    expect(texts(join(['    at foo (/app/x.js:1:2)', 'TypeError: x is not a function']))).toEqual(['    at foo (/app/x.js:1:2)', 'TypeError: x is not a function']);
    expect(texts(join(['    key: value', 'done: ok']))).toEqual(['    key: value', 'done: ok']);
  });

  it('a traceback after a blank line starts its own record', () => {
    const records = joinText(`${BEFORE}\n\n${T.PYTHON_BARE}`);
    expect(texts(records)).toEqual([BEFORE, T.PYTHON_BARE]);
  });

  it('an Erlang error_logger report is its header and its body, up to the blank line that ends it', () => {
    const error = '=ERROR REPORT==== 3-Dec-2026::10:15:32 ===\nToo many processes';
    const crash = '=CRASH REPORT==== 3-Dec-2026::10:15:33.120415 ===\n  crasher:\n    initial call: ranch_acceptor:loop/4\n    error_info: system_limit';
    expect(texts(joinText(`${BEFORE}\n${error}\n\n${crash}\n\n${AFTER}`))).toEqual([BEFORE, error, crash, AFTER]);
  });

  it('an Erlang report body stops at a timestamped line or the next report', () => {
    const a = '=WARNING REPORT==== 3-Dec-2026::10:15:32 ===\nemfile';
    const b = '=INFO REPORT==== 3-Dec-2026::10:15:33 ===\n    application: sasl';
    expect(texts(joinText(`${a}\n${AFTER}`))).toEqual([a, AFTER]);
    expect(texts(joinText(`${a}\n${b}`))).toEqual([a, b]);
    // lager's crash log puts the date before the header.
    const lager = '2017-11-22 14:27:27 =ERROR REPORT====\nToo many processes';
    expect(texts(joinText(`${BEFORE}\n${lager}\n\n${AFTER}`))).toEqual([BEFORE, lager, AFTER]);
    // Only the header form counts: a line that merely starts with '=' joins nothing.
    expect(texts(join(['=== build done ===', 'next step']))).toEqual(['=== build done ===', 'next step']);
  });

  it('continuations at the start of input form a record of their own', () => {
    expect(texts(join(['    at a', '    at b', 'next']))).toEqual(['    at a\n    at b', 'next']);
  });

  it('flush returns nothing when nothing is open, and the joiner is reusable after it', () => {
    const j = new LineJoiner<string>();
    expect(j.flush()).toBeUndefined();
    j.push('a', 1);
    expect(j.flush()?.text).toBe('a');
    expect(j.flush()).toBeUndefined();
    j.push('b', 2);
    expect(j.flush()).toMatchObject({ text: 'b', line: 2, lines: 1 });
  });
});

describe('LineJoiner: bounds', () => {
  it('cuts a record at maxLines and continues in a new one; nothing is lost', () => {
    const lines = ['head', ...Array.from({ length: 10 }, (_, i) => `\tat f${i}`)];
    const records = join(lines, { maxLines: 4 });
    expect(records.map((r) => r.lines)).toEqual([4, 4, 3]);
    expect(records.map((r) => r.truncated)).toEqual([true, true, false]);
    expect(records.map((r) => r.text).join('\n')).toBe(lines.join('\n'));
    expect(records.map((r) => r.line)).toEqual([1, 5, 9]);
  });

  it('cuts a record at maxBytes', () => {
    const lines = ['0123456789', '  abcdefgh', '  ijklmnop'];
    const records = join(lines, { maxBytes: 25 });
    expect(texts(records)).toEqual(['0123456789\n  abcdefgh', '  ijklmnop']);
    expect(records[0]?.truncated).toBe(true);
  });

  it('blank lines inside a record count towards maxLines', () => {
    const records = join(['ValueError: v', '', 'goroutine 1 [running]:', 'Caused by: z'], { maxLines: 3 });
    expect(records.map((r) => [r.line, r.lines, r.truncated])).toEqual([
      [1, 3, true],
      [4, 1, false],
    ]);
  });

  it('a never-ending indented input never holds more than the caps', () => {
    const j = new LineJoiner<string>({ maxLines: 100, maxBytes: 10_000 });
    let emitted = 0;
    let maxLines = 0;
    let maxLength = 0;
    j.push('start', 1);
    for (let i = 2; i < 50_000; i++) {
      const r = j.push(`    at frame${i}`, i);
      if (r) {
        emitted++;
        maxLines = Math.max(maxLines, r.lines);
        maxLength = Math.max(maxLength, r.text.length);
      }
    }
    expect(emitted).toBeGreaterThan(400);
    expect(maxLines).toBeLessThanOrEqual(100);
    expect(maxLength).toBeLessThanOrEqual(10_000);
  });

  it('joined text is always the lines in order, whatever the input (property)', () => {
    const line = fc.oneof(
      fc.constantFrom('', '  at x', '\tat y', 'Caused by: z', '... 3 more', '}', '{"a":1}', 'Traceback (most recent call last):', 'goroutine 1 [running]:', 'panic: boom', 'main.main()', 'ValueError: v', 'java.lang.Error: e'),
      fc.string({ maxLength: 12 }).filter((s) => !s.includes('\n')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (lines, maxLines) => {
        const records = join(lines, { maxLines });
        const nonBlank = lines.filter((l) => l.trim() !== '');
        // Every non-blank line appears once, in order, across the records.
        const seen = records.flatMap((r) => r.text.split('\n')).filter((l) => l.trim() !== '');
        expect(seen).toEqual(nonBlank);
        for (const r of records) {
          expect(r.text.split('\n').length).toBeLessThanOrEqual(maxLines);
          expect(r.lines).toBe(r.text.split('\n').length);
        }
        for (let i = 1; i < records.length; i++) expect(records[i]!.line).toBeGreaterThan(records[i - 1]!.line);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('LineJoiner: loghub background (no false joins)', () => {
  const files = loghubFiles();

  it.skipIf(files.length === 0)('every loghub line stays its own record', () => {
    for (const file of files) {
      const lines = readFileSync(file).toString('utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      const records = join(lines);
      const joined = records.filter((r) => r.lines > 1);
      expect(joined.map((r) => r.text), basename(file)).toEqual([]);
      expect(records.length, basename(file)).toBe(lines.filter((l) => l.trim() !== '').length);
    }
  });

  it.skipIf(files.length === 0)('a trace dropped into real logs joins only its own lines', () => {
    const hadoop = files.find((f) => f.includes('Hadoop'));
    if (hadoop === undefined) return;
    const lines = readFileSync(hadoop).toString('utf8').split('\n').slice(0, 200);
    const mixed = [...lines.slice(0, 100), ...T.JAVA.split('\n'), ...lines.slice(100)];
    const records = join(mixed);
    expect(records).toHaveLength(201);
    expect(records.filter((r) => r.lines > 1).map((r) => r.text)).toEqual([T.JAVA]);
  });

  if (files.length === 0) it.skip(LOGHUB_MISSING_REASON, () => undefined);
});

describe('LineJoiner: name-value lists cut at a narrow width, traces under a runner stamp', () => {
  const IOCP = 'mgr: 10 of 10 available, clientName: web, IOCP:';
  const REDIS = [IOCP, '(Busy=1,Free=999,Min=2,Max=1000), WORKER:', '(Busy=68,Free=32699,Min=2,Max=32767), v: 2.0.601.3402'];

  it('joins a list whose lines end in a bare name or start with a parenthesised list, however short', () => {
    expect(texts(join([BEFORE, ...REDIS, AFTER]))).toEqual([BEFORE, REDIS.join('\n'), AFTER]);
    // A program's stats lines, each a list of its own, stay apart.
    const stats = ['pool: web, active: 3, idle: 7', 'pool: db, active: 5, idle: 0', 'pool: cache, active: 1, idle: 9'];
    expect(texts(join(stats))).toEqual(stats);
    const tagged = ['(pool=web) active: 3', '(pool=db) active: 5', '(pool=cache) active: 1'];
    expect(texts(join(tagged))).toEqual(tagged);
    // Not a line of its own after a bare name, nor a logger's line after a parenthesised one.
    expect(texts(join([IOCP, AFTER]))).toEqual([IOCP, AFTER]);
    expect(texts(join(['short and closed line', '(1) reached']))).toEqual(['short and closed line', '(1) reached']);
    expect(texts(join(['Stats:', '(active=1)', 'WARN (idle=2)']))).toEqual(['Stats:\n(active=1)', 'WARN (idle=2)']);
  });

  it('property: a name-value list cut before each parenthesised value is one record', () => {
    const name = fc.stringMatching(/^[A-Z][A-Za-z]{1,8}$/);
    const value = fc.array(fc.tuple(fc.stringMatching(/^[A-Z][a-z]{1,5}$/), fc.nat(99999)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 4 }), (items) => {
        const lines = ['RedisTimeoutException: Timeout awaiting response, clientName: web, ' + items[0]![0] + ':'];
        items.forEach(([, v], i) => {
          const list = '(' + v.map(([k, n]) => `${k}=${n}`).join(',') + ')';
          const next = items[i + 1];
          lines.push(next === undefined ? `${list}, v: 2.0.601` : `${list}, ${next[0]}:`);
        });
        expect(texts(join([BEFORE, ...lines, AFTER]))).toEqual([BEFORE, lines.join('\n'), AFTER]);
      }),
      { numRuns: 200 },
    );
  });

  const digits = (n: number, k: number) => String(n).padStart(k, '0');
  const stamps: Record<string, (t: number, i: number) => string> = {
    jenkins: (t) => `[2024-03-01T10:${digits(t % 60, 2)}:00.${digits(t % 1000, 3)}Z] `,
    actions: (t) => `2024-03-01T10:00:${digits(t % 60, 2)}.${digits(t % 9999999, 7)}Z `,
    kubectl: (t) => `2024-03-01T10:00:${digits(t % 60, 2)}.${String(t % 999999999 || 1)}Z `,
    gitlab: (t, i) => `2024-03-01T10:00:${digits(t % 60, 2)}.${digits(t % 999999, 6)}Z 01E${i % 2 === 0 ? ' ' : '+'}`,
  };
  const PY = [
    'Traceback (most recent call last):',
    '  File "/usr/lib64/python3.12/subprocess.py", line 1885, in _execute_child',
    '    self.pid = _posixsubprocess.fork_exec(',
    '               ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    'BlockingIOError: [Errno 11] Resource temporarily unavailable',
  ];
  const JAVA = [
    'ERROR [main] c.e.App - request failed',
    'java.net.SocketException: Too many open files',
    '\tat java.net.Socket.createImpl(Socket.java:478)',
    'Caused by: java.io.IOException: Too many open files',
    '\t... 3 more',
  ];

  it('property: a traceback or a stack trace under a stamp of one shape is one record; the stamped line after it is its own', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(stamps)),
        fc.array(fc.nat(2 ** 30), { minLength: 8, maxLength: 8 }),
        fc.constantFrom(PY, PY.slice(1), JAVA),
        (kind, times, trace) => {
          const stamp = stamps[kind]!;
          const stamped = (l: string, i: number) => stamp(times[i % times.length]!, i) + l;
          const before = stamped('INFO handling request 41', 0);
          const body = trace.map((l, i) => stamped(l, i + 1));
          const after = stamped('INFO handling request 43', 7);
          // A traceback's header joins the log line above it, as it does unstamped; a fragment quoted
          // from its first frame is read from there.
          if (trace === PY) expect(texts(join([before, ...body, after]))).toEqual([[before, ...body].join('\n'), after]);
          else if (trace === JAVA) expect(texts(join([before, ...body, after]))).toEqual([before, body.join('\n'), after]);
          else expect(texts(join([...body, after]))).toEqual([body.join('\n'), after]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the stamped lines of ordinary output apart', () => {
    const lines = ['Running with gitlab-runner 17.0.0', 'Preparing the "docker" executor', '$ make test', 'ok  	pkg	0.01s', 'connection: closed'];
    const stamped = lines.map((l, i) => `2024-03-01T10:00:0${i}.123456Z 00O ${l}`);
    expect(texts(join(stamped))).toEqual(stamped);
    const actions = lines.map((l, i) => `2024-03-01T10:00:0${i}.1234567Z ${l}`);
    expect(texts(join(actions))).toEqual(actions);
  });
});
