import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { matchRecordText, recordViews } from '../../src/match/record-text.js';
import { typographyView } from '../../src/match/typography-view.js';
import { unescapedView } from '../../src/match/unescaped-view.js';
import { expectReadingKeepsBankResults } from './support/record-text-property.js';
import { makeRule } from './support/rules.js';

const rules = [
  makeRule('a/emfile-socket', ['java\\.net\\.SocketException: Too many open files\\n\\s+at java\\.net\\.']),
  makeRule('b/bare', ['java\\.net\\.SocketException: Too many open files$']),
  makeRule('c/quoted', ["OSError\\(24, 'Too many open files'\\)"]),
  makeRule('d/arrow', ['10\\.0\\.0\\.2:\\d+->10\\.22\\.0\\.5:5432: connect: cannot assign requested address']),
  makeRule('e/head', ['(?m)^java\\.net\\.SocketException: Too many open files']),
];

describe('matchRecordText: views beyond joined lines', () => {
  const { bank } = buildBank(rules);
  const ids = (text: string) => matchRecordText(bank, text).map((m) => bank.rules[m.rule]?.id);

  it('reads a stack trace logged inside a JSON string, with its \\n and \\t escaped', () => {
    const text = '{"error":"java.net.SocketException: Too many open files\\n\\tat java.net.Socket.createImpl(Socket.java:460)"}';
    expect(ids(text)).toContain('a/emfile-socket');
  });

  it('reads a Python repr and HTML entities as the characters they stand for', () => {
    expect(ids("error=OSError(24, \\'Too many open files\\')")).toEqual(['c/quoted']);
    expect(ids('<td>OSError(24, &#39;Too many open files&#39;)</td>')).toEqual(['c/quoted']);
    expect(ids('dial tcp 10.0.0.2:51234-\\u003e10.22.0.5:5432: connect: cannot assign requested address')).toEqual(['d/arrow']);
    expect(ids('dial tcp 10.0.0.2:51234-&gt;10.22.0.5:5432: connect: cannot assign requested address')).toEqual(['d/arrow']);
  });

  it('joins a wrap on the message lines of a stack trace, above its first frame only', () => {
    const trace = 'java.net.SocketEx\nception: Too many open files\n\tat java.net.Socket.createImpl(Socket.java:460)';
    // The message reads whole, its frames stay on their lines: the rule that needs a socket frame
    // after it matches, the bare-message rule (nothing after the message) stays silent.
    expect(ids(trace)).toEqual(['a/emfile-socket', 'e/head']);
    expect(ids('java.net.SocketException: Too many open files\n\tat java.net.Socket.createImpl(Socket.java:460)')).toEqual(['a/emfile-socket', 'e/head']);
  });

  it('reads no-break spaces, curly quotes and full-width punctuation as the ASCII the logger printed', () => {
    expect(ids('java.net.SocketException:\u00a0Too many open files')).toEqual(['b/bare', 'e/head']);
    expect(ids('java.net.SocketException\uff1a Too many open files')).toEqual(['b/bare', 'e/head']);
    expect(ids('OSError(24, \u2018Too many open files\u2019)')).toEqual(['c/quoted']);
    expect(ids('OSError\uff0824, \u2019Too many open files\u2019\uff09')).toEqual(['c/quoted']);
  });

  it('folds one character into one, so offsets are the text’s own', () => {
    const text = 'a\u00a0b\uff1ac\u2019d';
    const view = typographyView(text);
    expect(view?.text).toBe("a b:c'd");
    expect(view?.text.length).toBe(text.length);
    expect(typographyView('plain ascii')).toBeUndefined();
  });

  it('maps a match in the unescaped view back to the escaped span', () => {
    const text = 'x <td>OSError(24, &#39;Too many open files&#39;)</td>';
    const [m] = matchRecordText(bank, text);
    expect(text.slice(m?.start, m?.end)).toBe('OSError(24, &#39;Too many open files&#39;)');
  });

  it('gives most records no view at all: one line, nothing escaped', () => {
    expect(recordViews('2026-12-01 10:00:00 INFO pool stats total=10 active=2 idle=8')).toEqual([]);
    expect(unescapedView('C: drive & more')).toBeUndefined();
  });

  it('only ever adds to the bank’s results, in rule order, with spans inside the text (property)', () => {
    const piece = fc.constantFrom(
      'java.net.SocketException: Too many open files',
      '\\n\\tat java.net.Socket.x(S.java:1)',
      '\n\tat java.net.Socket.x(S.java:1)',
      "OSError(24, \\'Too many open files\\')",
      '&#39;',
      '&quot;',
      '\\u003e',
      '\u00a0',
      '\u2019',
      '\uff1a',
      'java.net.SocketEx',
      '\n',
      'ception: Too many open files',
      'x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expectReadingKeepsBankResults(bank, text);
      }),
      { numRuns: 400 },
    );
  });
});

describe('unescapedView', () => {
  it('maps every character of the view back to where it came from', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\\n', '\\"', '\\\\', '&amp;', '&#39;', '\\u0041', '&', '\\'), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const view = unescapedView(text);
        if (view === undefined) return;
        for (let i = 0; i < view.text.length; i++) {
          const o = view.original(i);
          expect(o).toBeGreaterThanOrEqual(0);
          expect(o).toBeLessThanOrEqual(text.length);
          // A plain letter is copied as it is; an escape maps to where it starts.
          if (view.text[i] === 'a' || view.text[i] === 'b') expect(text[o]).toBe(view.text[i]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
