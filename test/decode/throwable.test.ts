import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/decode/throwable.js';

describe('renderError', () => {
  it('strings and line arrays as they are', () => {
    expect(renderError('EMFILE')).toBe('EMFILE');
    expect(renderError(['a', 'b'])).toBe('a\nb');
    expect(renderError({ stringValue: 'otlp' })).toBe('otlp');
  });

  it('Type: message when there is no stack', () => {
    expect(renderError({ type: 'java.net.SocketException', message: 'Too many open files' })).toBe('java.net.SocketException: Too many open files');
    expect(renderError({ name: 'E' })).toBe('E');
    expect(renderError({ message: 'only message' })).toBe('only message');
  });

  it("a Node system error's enumerable fields as Node prints its message (JSON.stringify drops message and stack)", () => {
    expect(renderError({ errno: -24, code: 'EMFILE', syscall: 'connect', address: '10.0.0.8', port: 443 })).toBe('Error: connect EMFILE 10.0.0.8:443');
    expect(renderError({ errno: -99, code: 'EADDRNOTAVAIL', syscall: 'connect', address: '10.0.0.8' })).toBe('Error: connect EADDRNOTAVAIL 10.0.0.8');
    expect(renderError({ errno: -2, code: 'ENOENT', syscall: 'open', path: '/etc/app.json' })).toBe('Error: open ENOENT /etc/app.json');
    // Not an error object of that shape: nothing is made up.
    expect(renderError({ code: 'P2024', syscall: 'x y' })).toBe('');
    expect(renderError({ code: 42, syscall: 'connect' })).toBe('');
    // A message wins over the fields.
    expect(renderError({ message: 'connect EMFILE 10.0.0.8:443', code: 'EMFILE', syscall: 'connect' })).toBe('connect EMFILE 10.0.0.8:443');
  });

  it('does not repeat the type when the message starts with it', () => {
    expect(renderError({ type: 'Error', message: 'Error: already prefixed' })).toBe('Error: already prefixed');
  });

  it('the stack alone when it already holds the message', () => {
    const stack = 'Error: boom\n    at f (a.js:1:1)';
    expect(renderError({ type: 'Error', message: 'boom', stack })).toBe(stack);
  });

  it('head then stack when the stack is frames only', () => {
    expect(renderError({ type: 'PoolError', message: 'exhausted', stack_trace: '  File "a.py", line 1' })).toBe('PoolError: exhausted\n  File "a.py", line 1');
  });

  it('frame objects in log4j2 and Jackson spellings', () => {
    const text = renderError({
      name: 'E',
      message: 'm',
      stackTrace: [
        { class: 'a.B', method: 'c', file: 'B.java', line: 1 },
        { declaringClass: 'd.E', methodName: 'f', fileName: 'E.java', lineNumber: 2 },
        { class: 'g.H', method: 'i' },
        'raw frame line',
        42,
      ],
    });
    expect(text.split('\n')).toEqual(['E: m', '\tat a.B.c(B.java:1)', '\tat d.E.f(E.java:2)', '\tat g.H.i(Unknown Source)', 'raw frame line']);
  });

  it('suppressed exceptions and causes', () => {
    const text = renderError({
      name: 'A',
      message: 'outer',
      suppressed: [{ name: 'S', message: 'close failed' }],
      cause: { name: 'B', message: 'inner', cause: 'root cause text' },
    });
    expect(text.split('\n')).toEqual(['A: outer', '\tSuppressed: S: close failed', 'Caused by: B: inner', 'Caused by: root cause text']);
  });

  it('a cause the stack already shows is not added again', () => {
    const stack = 'Error: outer\n    at x\ncaused by: Error: inner\n    at y';
    expect(renderError({ type: 'Error', message: 'outer', stack, cause: { type: 'Error', message: 'inner' } })).toBe(stack);
  });

  it('ends a cycle-like chain after a bounded number of causes', () => {
    const root: Record<string, unknown> = { name: 'E0', message: 'm0' };
    let cur = root;
    for (let i = 1; i < 100; i++) {
      const next = { name: `E${i}`, message: `m${i}` };
      cur.cause = next;
      cur = next;
    }
    const causes = renderError(root).split('\n').filter((l) => l.startsWith('Caused by:'));
    expect(causes.length).toBe(8);
  });

  it('nothing for values that are not errors', () => {
    for (const v of [null, undefined, 1, true, {}, { code: 42 }]) expect(renderError(v)).toBe('');
  });
});
