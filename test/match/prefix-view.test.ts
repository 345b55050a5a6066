import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { prefixView } from '../../src/match/prefix-view.js';
import { matchRecordText } from '../../src/match/record-text.js';
import { readerRecords } from './support/reader-records.js';
import { expectReadingKeepsBankResults } from './support/record-text-property.js';
import { makeRule } from './support/rules.js';

const rules = [
  makeRule('a/emfile-socket', ['java\\.net\\.SocketException: Too many open files\\n\\s+at java\\.net\\.']),
  makeRule('b/head', ['(?m)^java\\.lang\\.OutOfMemoryError: unable to create new native thread']),
  makeRule('c/py', ['OSError: \\[Errno 99\\] Cannot assign requested address']),
];

const TRACES = [
  'java.net.SocketException: Too many open files\n\tat java.net.Socket.createImpl(Socket.java:460)\n\tat java.net.Socket.connect(Socket.java:589)',
  'Exception in thread "main" java.lang.OutOfMemoryError: unable to create new native thread\njava.lang.OutOfMemoryError: unable to create new native thread\n\tat java.lang.Thread.start0(Native Method)',
  'Traceback (most recent call last):\n  File "/app/client.py", line 12, in connect\n    sock.connect(addr)\nOSError: [Errno 99] Cannot assign requested address',
];
const PREFIXES = ['svc_1  | ', 'web-2 | ', '[pod/web-7d9f8/app] ', '> ', '>> ', 'Dec 04 18:40:01 host app[1234]: ', '<27>Dec  4 18:40:01 host app[1234]: '];

/** scan's reader: the records of `text`. */
const records = (text: string): string[] => readerRecords(text.split('\n'));

describe('a stack trace printed through a per-line prefix (compose, kubectl, a quote, syslog)', () => {
  const { bank } = buildBank(rules);
  const ids = (text: string) => [...new Set(records(text).flatMap((r) => matchRecordText(bank, r).map((m) => bank.rules[m.rule]?.id)))].sort();

  it('is one record of scan’s reader, and matches as it does without the prefix (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRACES), fc.constantFrom(...PREFIXES), (trace, prefix) => {
        const text = trace
          .split('\n')
          .map((l) => prefix + l)
          .join('\n');
        expect(records(text)).toEqual([text]);
        expect(ids(text)).toEqual(ids(trace));
        expectReadingKeepsBankResults(bank, text);
      }),
      { numRuns: 100 },
    );
  });

  /** A runner's or a collector's stamp, each line with its own time (Jenkins, GitHub Actions, kubectl/docker --timestamps, GitLab). */
  const STAMPS: ((t: number, i: number) => string)[] = [
    (t) => `[2024-03-01T10:00:${String(t % 60).padStart(2, '0')}.${String(t % 1000).padStart(3, '0')}Z] `,
    (t) => `2024-03-01T10:00:${String(t % 60).padStart(2, '0')}.${String(t % 10_000_000).padStart(7, '0')}Z `,
    (t) => `2024-03-01T10:00:${String(t % 60).padStart(2, '0')}.${(t % 999_999_999) + 1}Z `,
    (t, i) => `2024-03-01T10:00:${String(t % 60).padStart(2, '0')}.${String(t % 1_000_000).padStart(6, '0')}Z 01E${i > 0 && t % 2 === 0 ? '+' : ' '}`,
  ];

  it('under a per-line stamp of one shape, is one record that keeps its first stamp and matches as without it (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRACES), fc.constantFrom(...STAMPS), fc.array(fc.nat(2 ** 30), { minLength: 6, maxLength: 6 }), (trace, stamp, times) => {
        const text = trace
          .split('\n')
          .map((l, i) => stamp(times[i % times.length]!, i) + l)
          .join('\n');
        expect(records(text)).toEqual([text]);
        expect(ids(text)).toEqual(ids(trace));
        expectReadingKeepsBankResults(bank, text);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the outputs of two containers or two programs apart', () => {
    const two = 'svc_1  | java.net.SocketException: Too many open files\nsvc_2  | \tat java.net.Socket.createImpl(Socket.java:460)';
    expect(records(two)).toEqual(two.split('\n'));
    expect(prefixView('svc_1  | a\nsvc_2  | b')).toBeUndefined();
    // Consecutive syslog messages of one program stay apart unless they are a trace's lines.
    const kernel = 'Jul 27 14:41:57 combo kernel: BIOS-provided physical RAM map:\nJul 27 14:41:57 combo kernel:  BIOS-e820: 0000000000000000 - 00000000000a0000 (usable)';
    expect(records(kernel)).toEqual(kernel.split('\n'));
  });

  it('maps a match back into the prefixed text', () => {
    const text = 'svc_1  | java.net.SocketException: Too many open files\nsvc_1  | \tat java.net.Socket.createImpl(Socket.java:460)';
    const [m] = matchRecordText(bank, text);
    expect(text.slice(m?.start, m?.end)).toBe('java.net.SocketException: Too many open files\nsvc_1  | \tat java.net.');
    expect(prefixView('a one-line record')).toBeUndefined();
    expect(prefixView('svc_1  | only one prefixed line\nand another')).toBeUndefined();
  });
});
