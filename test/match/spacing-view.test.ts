import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { matchRecordText, recordViews } from '../../src/match/record-text.js';
import { spacingView } from '../../src/match/spacing-view.js';
import { expectReadingKeepsBankResults } from './support/record-text-property.js';
import { makeRule } from './support/rules.js';

const rules = [
  makeRule('a/emfile-socket', ['java\\.net\\.SocketException: Too many open files\\n\\s+at java\\.net\\.']),
  makeRule('b/bare', ['java\\.io\\.IOException: Too many open files\\z']),
  makeRule('c/pool', ['Timeout: Pool empty\\. Unable to fetch a connection in \\d+ seconds']),
];

const MESSAGES = [
  'java.net.SocketException: Too many open files\n\tat java.net.Socket.createImpl(Socket.java:460)',
  'Timeout: Pool empty. Unable to fetch a connection in 30 seconds',
  'java.io.IOException: Too many open files',
];

/** The message with each of its single spaces (not its indentation) made a tab or a run of spaces and tabs. */
const respaced = (text: string, runs: readonly string[]): string => {
  let k = 0;
  return text.replace(/(?<=\S) (?=\S)/g, () => runs[k++ % runs.length] ?? ' ');
};

describe('spacingView: tabs and runs of spaces between words read as one space', () => {
  const { bank } = buildBank(rules);
  const ids = (text: string) => matchRecordText(bank, text).map((m) => bank.rules[m.rule]?.id);

  it('a message keeps its match however its words are spaced (property)', () => {
    const run = fc.constantFrom(' ', '  ', '\t', ' \t', '   ', '\t\t');
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGES), fc.array(run, { minLength: 1, maxLength: 6 }), (message, runs) => {
        const text = respaced(message, runs);
        expect(ids(text)).toEqual(ids(message));
        expectReadingKeepsBankResults(bank, text);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves indentation alone, so a trace is still a trace (the bare-message rule stays silent)', () => {
    const text = 'java.io.IOException:  Too  many  open  files\n\tat  java.io.UnixFileSystem.createFileExclusively(Native  Method)';
    expect(spacingView(text)?.text).toBe('java.io.IOException: Too many open files\n\tat java.io.UnixFileSystem.createFileExclusively(Native Method)');
    expect(ids(text)).toEqual([]);
  });

  it('maps a match back to the span of the text it came from', () => {
    const text = 'x Timeout:\tPool  empty. Unable to fetch a connection in 30 seconds';
    const [m] = matchRecordText(bank, text);
    expect(text.slice(m?.start, m?.end)).toBe('Timeout:\tPool  empty. Unable to fetch a connection in 30 seconds');
  });

  it('gives a record with single spaces no view, and a joined wrap its respaced reading', () => {
    expect(spacingView('a b c\n\tat x')).toBeUndefined();
    expect(recordViews('2026-12-01 10:00:00 INFO pool stats total=10 active=2 idle=8')).toEqual([]);
    expect(ids('Timeout:  Pool empty. Unable to fetch a\nconnection  in 30 seconds')).toEqual(['c/pool']);
  });
});

describe('spacingView: which records pay for it', () => {
  it('a head aligned by its logger (padded level, padded day or pid) gets no view', () => {
    for (const line of [
      '2026-12-04 10:00:01,123 INFO  [main] org.example.Server: started in 812 ms',
      '2026-12-04 10:00:01 WARN  org.example.Pool - pool stats (total=10, active=2)',
      'Dec  4 10:00:01 host sshd[1702]: Accepted publickey for deploy',
      '03-17 16:13:38.811  1702  2395 D WindowManager: focus changed',
      '[ERROR]  build failed',
    ]) expect(spacingView(line), line).toBeUndefined();
  });

  it('a run of spaces or a tab inside the message gets it, and every run of the text is made single', () => {
    const view = spacingView('Dec  4 10:00:01 app[7]: java.net.SocketException:\tToo  many open files');
    expect(view?.text).toBe('Dec 4 10:00:01 app[7]: java.net.SocketException: Too many open files');
  });
});
