import { describe, expect, it } from 'vitest';
import { classifyLine, isGoFrameLine, isPythonExceptionLine, lineHead, HEAD_LENGTH } from '../../src/decode/line-kind.js';

describe('classifyLine', () => {
  const cases: [string, ReturnType<typeof classifyLine>][] = [
    ['', 'blank'],
    [' \t\r', 'blank'],
    ['{"msg":"x"}', 'json'],
    ['{"msg":"x"}  \r', 'json'],
    ['{ not closed', 'other'],
    ['    at x (y.js:1:1)', 'indented'],
    ['\tat a.B.c(B.java:1)', 'indented'],
    ['at a.B.c(B.java:1)', 'continuation'],
    ['Caused by: java.io.IOException: x', 'continuation'],
    ['Suppressed: java.io.IOException: x', 'continuation'],
    ['... 12 more', 'continuation'],
    ['... 98 common frames omitted', 'continuation'],
    ['---> System.TimeoutException: x', 'continuation'],
    ['--- End of inner exception stack trace ---', 'continuation'],
    ['--- End of stack trace from previous location ---', 'continuation'],
    ['}', 'continuation'],
    ['}),', 'continuation'],
    ['java.net.SocketException: Too many open files', 'exception-header'],
    ['org.postgresql.util.PSQLException: FATAL: sorry, too many clients already', 'exception-header'],
    ['Npgsql.NpgsqlException (0x80004005): The connection pool has been exhausted', 'exception-header'],
    ['System.Net.Sockets.SocketException (10048): Only one usage of each socket address', 'exception-header'],
    ['java.lang.OutOfMemoryError', 'exception-header'],
    ['Traceback (most recent call last):', 'py-traceback'],
    ['During handling of the above exception, another exception occurred:', 'py-chain'],
    ['The above exception was the direct cause of the following exception:', 'py-chain'],
    ['goroutine 1 [running]:', 'go-goroutine'],
    ['goroutine 18 [select, 2 minutes]:', 'go-goroutine'],
    ['panic: runtime error: index out of range [5] with length 3', 'go-panic'],
    ['fatal error: all goroutines are asleep - deadlock!', 'go-panic'],
    ['[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b3c]', 'go-signal'],
    ['2024-03-01 10:15:32 ERROR at the gate', 'other'],
    ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'other'],
    ['Exception in thread "main" java.lang.Error: x', 'other'],
    ['atlas started', 'other'],
    ['at', 'other'],
    ['com.example.Service started', 'other'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'other'],
  ];
  it.each(cases)('%j is %s', (line, kind) => {
    expect(classifyLine(line)).toBe(kind);
    expect(classifyLine(Buffer.from(line))).toBe(kind);
  });
});

describe('line helpers', () => {
  it('lineHead reads at most HEAD_LENGTH characters, bytes as Latin-1', () => {
    expect(lineHead('x'.repeat(1000))).toHaveLength(HEAD_LENGTH);
    expect(lineHead(Buffer.from([0x61, 0xff]))).toBe('a\u00ff');
  });

  it('Python exception lines', () => {
    expect(isPythonExceptionLine('ValueError: bad')).toBe(true);
    expect(isPythonExceptionLine('requests.exceptions.ConnectionError: HTTPConnectionPool(...)')).toBe(true);
    expect(isPythonExceptionLine('KeyboardInterrupt')).toBe(true);
    expect(isPythonExceptionLine('2024-03-01 INFO next')).toBe(false);
    expect(isPythonExceptionLine('Some words here')).toBe(false);
  });

  it('Go frame lines', () => {
    expect(isGoFrameLine('main.main()')).toBe(true);
    expect(isGoFrameLine('net/http.(*conn).serve(0xc000123456, {0x8f3a40, 0xc0001a2b40})')).toBe(true);
    expect(isGoFrameLine('created by net/http.(*Server).Serve in goroutine 1')).toBe(true);
    expect(isGoFrameLine('exit status 2')).toBe(false);
    expect(isGoFrameLine('main.main() and more words')).toBe(false);
  });
});
