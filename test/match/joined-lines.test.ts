import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { continuesLine, joinable, joinedView, joinedViews, MAX_JOINED_LINE_BREAKS, MAX_JOINED_TEXT } from '../../src/match/joined-lines.js';
import { matchRecordText } from '../../src/match/record-text.js';
import { expectReadingKeepsBankResults } from './support/record-text-property.js';
import { makeRule } from './support/rules.js';

const rules = [
  makeRule('a/enobufs', ['could not be performed because the system lacked sufficient buffer space']),
  makeRule('b/rejected', ['rejected from java\\.util\\.concurrent\\.ThreadPoolExecutor@[0-9a-f]+\\[Running']),
  makeRule('c/accept-emfile', ['(?i)\\baccept(?:ing)?\\b[^\\n]{0,80}?too many open files']),
  makeRule('d/bare', ['Too many open files$']),
  // Would match a stack trace joined into one line: frames must stay apart from the message.
  makeRule('e/frame-after-message', ['Too many open files (?:at )?java\\.io\\.']),
];

describe('matchRecordText', () => {
  const { bank } = buildBank(rules);
  const ids = (text: string) => matchRecordText(bank, text).map((m) => bank.rules[m.rule]?.id);

  it('matches a message wrapped at a space, and one wrapped in the middle of a word', () => {
    expect(ids('SocketException: An operation on a socket could not be performed\nbecause the system lacked sufficient buffer space')).toEqual(['a/enobufs']);
    expect(ids('Task x rejected from java.util.concur\nrent.ThreadPoolExecutor@52a9[Running, pool size = 4')).toEqual(['b/rejected']);
  });

  it('matches a word cut by a wrap whose next line is indented (a hanging indent)', () => {
    expect(ids('Task x rejected from java.util.concur\n    rent.ThreadPoolExecutor@52a9[Running, pool size = 4')).toEqual(['b/rejected']);
    expect(ids('Task x rejected from java.util.concur\r\n\trent.ThreadPoolExecutor@52a9[Running')).toEqual(['b/rejected']);
  });

  it("matches a structured log's message and its error field as the decoder joins them", () => {
    expect(ids('Error accepting new connection on local endpoint\nToo many open files')).toEqual(['c/accept-emfile', 'd/bare']);
  });

  it('maps a joined match back to the span it covers in the text', () => {
    const text = 'head: could not be performed\n   because the system lacked sufficient buffer space. tail';
    const [m] = matchRecordText(bank, text);
    expect(m).toBeDefined();
    expect(text.slice(m?.start, m?.end)).toBe('could not be performed\n   because the system lacked sufficient buffer space');
  });

  it('gives the bank’s own results, in rule order, when the text has no line break or a match already', () => {
    const text = 'accepting: too many open files. Too many open files';
    expect(matchRecordText(bank, text)).toEqual(bank.match(text));
    const twoLines = 'accept failed: too many open files\nTask x rejected from java.util.concurrent.ThreadPoolExecutor@1[Running';
    expect(matchRecordText(bank, twoLines)).toEqual(bank.match(twoLines));
  });

  it('does not join a stack trace: a bare message stays bare above its frames', () => {
    const trace = 'java.io.IOException: Too many open files\n\tat java.io.UnixFileSystem.createFileExclusively(Native Method)\n\tat java.io.File.createTempFile(File.java:2024)';
    // Joined, the first frame would follow the message on its line.
    expect(ids(trace)).toEqual([]);
    expect(ids('java.io.IOException: Too many open files\njava.io.UnixFileSystem')).toEqual(['e/frame-after-message']);
    const accept = 'accept loop stopped\n  File "srv.py", line 3, in run\nOSError: too many open files';
    expect(ids(accept)).toEqual([]);
  });

  it('does not join a line that starts a record of its own onto the one above', () => {
    // Two events in one record: the second starts with its timestamp, level or JSON, not mid-sentence.
    for (const second of [
      '2026-12-01 10:00:00 because the system lacked sufficient buffer space',
      '081109 203615 148 because the system lacked sufficient buffer space',
      'Dec  1 10:00:01 host app[1]: because the system lacked sufficient buffer space',
      'ERROR because the system lacked sufficient buffer space',
      '{"msg":"because the system lacked sufficient buffer space"}',
    ]) {
      expect(ids(`SocketException: An operation on a socket could not be performed\n${second}`)).toEqual([]);
    }
    // One break joins, the other stays: the wrapped message is found, the next event is not glued on.
    const text = 'could not be performed\nbecause the system lacked sufficient buffer space, accepting\n2026-12-01 10:00:00 too many open files';
    expect(ids(text)).toEqual(['a/enobufs']);
  });

  it('continuesLine: a wrapped line or an error field continues, a timestamp, level or JSON starts anew', () => {
    const at = (line: string) => continuesLine(`x\n${line}`, 2);
    expect(at('because the system lacked')).toBe(true);
    expect(at('rent.ThreadPoolExecutor@52a9[Running')).toBe(true);
    expect(at('Too many open files')).toBe(true);
    expect(at('   30000ms (total=10, active=10)')).toBe(true);
    expect(at('2026-12-01T10:00:00Z level=error')).toBe(false);
    expect(at('  03-17 16:13:38.811  1702  2395 D WindowManager')).toBe(false);
    expect(at('134681 node-246 unix.hw state_change')).toBe(false);
    expect(at('[Sun Dec 04 04:47:44 2005] [error] mod_jk')).toBe(false);
    expect(at('WARN  o.a.k.c.NetworkClient - x')).toBe(false);
    expect(at('{"level":"error"}')).toBe(false);
  });

  it('leaves long texts and texts of many lines as they are', () => {
    const many = `${'x\n'.repeat(MAX_JOINED_LINE_BREAKS)}could not be performed\nbecause the system lacked sufficient buffer space`;
    expect(ids(many)).toEqual([]);
    const long = `${'y'.repeat(MAX_JOINED_TEXT)} could not be performed\nbecause the system lacked sufficient buffer space`;
    expect(ids(long)).toEqual([]);
  });

  it('only ever adds to the bank’s results, never drops or reorders them (property)', () => {
    const piece = fc.constantFrom('could not be performed', 'because the system lacked sufficient buffer space', 'accepting', 'too many open files', 'Too many open files', 'rejected from java.util.concur', 'rent.ThreadPoolExecutor@1f[Running', 'x');
    const sep = fc.constantFrom(' ', '\n', '\n  ', '\r\n', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, sep), { maxLength: 8 }), (parts) => {
        const text = parts.map(([p, s]) => p + s).join('');
        expectReadingKeepsBankResults(bank, text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('joinedView', () => {
  it('maps every offset of the view back to the character it was copied from', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\t', '\r\n'), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        for (const [pattern, by] of [
          [/\r?\n[ \t]*/g, ' '],
          [/\r?\n/g, ''],
        ] as const) {
          const view = joinedView(text, pattern, by);
          for (let i = 0; i < view.text.length; i++) {
            const c = view.text[i];
            const o = view.original(i);
            // A copied character maps to itself; a replacement maps to the break it replaced.
            if (c === 'a' || c === 'b') expect(text[o]).toBe(c);
            else expect(o).toBeLessThanOrEqual(text.length);
          }
          expect(view.original(view.text.length)).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('joinable: a short text with a line break that is not a stack trace', () => {
    expect(joinable('one line')).toBe(false);
    expect(joinable('message\nerror')).toBe(true);
    expect(joinable('message\n\tat x.y(Z.java:1)')).toBe(false);
    expect(joinable('message\nCaused by: x')).toBe(false);
    expect(joinable('Npgsql.NpgsqlException: Failed to connect to 10.0.0.5:5432\n ---> System.Net.Sockets.SocketException (99): x')).toBe(false);
    // Lines that each start a record: nothing to join.
    expect(joinable('2026-12-01 10:00:00 one\n2026-12-01 10:00:01 two')).toBe(false);
  });

  it('joinedViews of a stack trace: below its first frame, only the rest of a line a wrap cut', () => {
    const cut = 'Caused by: java.util.concurrent.TimeoutException: null\n\tat org.apache.http.nio.pool.AbstractNIOConnPool.processPend\ningRequest(AbstractNIOConnPool.java:364)\n\tat x.Y.z(Y.java:1)';
    expect(joinedViews(cut).map((v) => v.text)).toContain(
      'Caused by: java.util.concurrent.TimeoutException: null\n\tat org.apache.http.nio.pool.AbstractNIOConnPool.processPendingRequest(AbstractNIOConnPool.java:364)\n\tat x.Y.z(Y.java:1)',
    );
    const inner = 'Npgsql.NpgsqlException (0x80004005): Exception while connecting\n ---> System.Net.Sockets.SocketException (99): Cannot assign\n requested address';
    expect(joinedViews(inner)[0]?.text).toBe('Npgsql.NpgsqlException (0x80004005): Exception while connecting\n ---> System.Net.Sockets.SocketException (99): Cannot assign requested address');
    // Frames, causes, a Python source line under its frame and an exception's own line stay on their lines.
    const whole = 'java.io.IOException: Too many open files\n\tat a.B.c(B.java:1)\nCaused by: x.Y: z\n\tat d.E.f(E.java:2)';
    expect(joinedViews(whole)).toEqual([]);
    const py = 'Traceback (most recent call last):\n  File "/app/x.py", line 3, in f\n    sock = socket.socket()\nOSError: [Errno 24] Too many open files';
    expect(joinedViews(py)).toEqual([]);
  });
});
