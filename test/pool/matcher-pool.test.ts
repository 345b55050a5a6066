// The matcher pool against the bank it stands for: same matches (a thread reads a record's text as
// the main thread does, joined views included: matchRecordText), every thread on the new rules
// after a load, a dead thread replaced and its chunk matched again.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import { matchRecordText } from '../../src/match/record-text.js';
import type { MatcherBank } from '../../src/match/types.js';
import { MatcherPool } from '../../src/pool/matcher-pool.js';
import { eventually } from '../worker/support/eventually.js';
import { makeRule } from '../match/support/rules.js';
import { EXIT_MARK, STALL_MARK } from './support/stalling-thread.js';

const RULES_DIR = new URL('../../rules', import.meta.url).pathname;
const STALLING = new URL('./support/stalling-thread.ts', import.meta.url);
const THREADS = 3;

let rules: Rule[];
let bank: MatcherBank;
/** Texts some rule matches, from the KB's own examples. */
let examples: string[];

beforeAll(async () => {
  rules = (await loadRules([RULES_DIR])).rules;
  bank = buildBank(rules).bank;
  examples = rules.flatMap((r) => (r.examples?.match ?? []).map((e) => e.text)).filter((t) => bank.match(t).length > 0);
}, 60_000);
afterAll(() => bank.close());

describe('matcher pool', () => {
  it('gives exactly the single-thread bank\'s matches, whatever the texts and their split', async () => {
    const pool = new MatcherPool({ threads: THREADS, minChunkTexts: 1 });
    try {
      const generation = await pool.load(bank.rules);
      const text = fc.oneof(
        fc.constantFrom(...examples),
        fc.string({ unit: 'binary', maxLength: 200 }),
        // A signature inside other text: spans must be where the bank puts them.
        fc.tuple(fc.string({ maxLength: 40 }), fc.constantFrom(...examples), fc.string({ maxLength: 40 })).map(([a, b, c]) => `${a}${b}${c}`),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(text, { maxLength: 60 }), async (texts) => {
          const got = await pool.match(generation, texts);
          expect(got).toEqual(texts.map((t) => (t === '' ? [] : matchRecordText(bank, t))));
        }),
        { numRuns: 60 },
      );
    } finally {
      await pool.close();
    }
  }, 180_000);

  it('after a load, a rule added shows in the matches of every thread', async () => {
    const pool = new MatcherPool({ threads: THREADS, minChunkTexts: 1 });
    try {
      const added = rules.find((r) => (r.examples?.match.length ?? 0) > 0 && bank.match(r.examples?.match[0]?.text ?? '').some((m) => bank.rules[m.rule] === r));
      if (added === undefined) throw new Error('no rule with a matching example');
      const text = added.examples?.match[0]?.text ?? '';
      const without = buildBank(rules.filter((r) => r !== added)).bank;
      const ids = (b: MatcherBank, found: { rule: number }[][]) => found.map((ms) => ms.map((m) => b.rules[m.rule]?.id));
      try {
        const before = await pool.load(without.rules);
        const texts = Array.from({ length: THREADS }, () => text);
        expect(ids(without, await pool.match(before, texts)).every((list) => !list.includes(added.id))).toBe(true);

        const after = await pool.load(bank.rules);
        pool.drop(before);
        const chunksBefore = new Map(pool.threads().map((t) => [t.threadId, t.chunks]));
        const found = ids(bank, await pool.match(after, texts));
        // One text per thread: each thread answered one chunk, and each found the new rule.
        expect(pool.threads().map((t) => t.chunks - (chunksBefore.get(t.threadId) ?? 0))).toEqual(Array.from({ length: THREADS }, () => 1));
        expect(found.every((list) => list.includes(added.id))).toBe(true);
      } finally {
        without.close();
      }
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('replaces a thread killed mid-chunk and matches that chunk again', async () => {
    const flags = new SharedArrayBuffer(12);
    const pool = new MatcherPool({ threads: 2, minChunkTexts: 1, entry: STALLING, workerData: { flags } });
    try {
      const generation = await pool.load(bank.rules);
      const texts = [...examples.slice(0, 3), STALL_MARK, ...examples.slice(3, 6)];
      const job = pool.match(generation, texts);
      const shared = new Int32Array(flags);
      const stalled = await eventually(() => Atomics.load(shared, 0), 'a thread stalled on the marked chunk', 60_000);
      await pool.terminateThread(stalled);
      expect(await job).toEqual(texts.map((t) => matchRecordText(bank, t)));
      expect(pool.stats).toMatchObject({ replaced: 1, redone: 1 });
      await eventually(() => pool.threads().length === 2, 'the replacement thread', 60_000);
      expect(pool.threads().map((t) => t.threadId)).not.toContain(stalled);
      // The replacement has the rules: it takes work like the others.
      const again = Array.from({ length: 2 }, () => examples[0] as string);
      expect(await pool.match(generation, again)).toEqual(again.map((t) => matchRecordText(bank, t)));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('replaces a thread that exits mid-chunk, and loads reach the replacement', async () => {
    const flags = new SharedArrayBuffer(12);
    const pool = new MatcherPool({ threads: 2, minChunkTexts: 1, entry: STALLING, workerData: { flags } });
    try {
      const generation = await pool.load(bank.rules);
      const texts = [EXIT_MARK, ...examples.slice(0, 5)];
      expect(await pool.match(generation, texts)).toEqual(texts.map((t) => matchRecordText(bank, t)));
      expect(pool.stats).toMatchObject({ replaced: 1, redone: 1 });
      // A load waits for every live thread, the replacement included.
      await eventually(() => pool.threads().length === 2, 'the replacement thread', 60_000);
      const next = await pool.load(bank.rules);
      const two = [examples[1] as string, examples[2] as string];
      expect(await pool.match(next, two)).toEqual(two.map((t) => matchRecordText(bank, t)));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('fails a job once it is closed rather than leaving it pending', async () => {
    const pool = new MatcherPool({ threads: 1 });
    const generation = await pool.load(bank.rules);
    await pool.close();
    await expect(pool.match(generation, ['x'])).rejects.toThrow(/closed/);
  }, 60_000);
});

describe('matcher pool: rules with unless guards', () => {
  it('silences a guarded rule in the threads exactly as the single-thread bank does', async () => {
    const guarded = [
      makeRule('java/emfile', ['java\\.io\\.IOException: Too many open files'], ['forkAndExec|ProcessBuilder\\.start']),
      makeRule('any/emfile', ['Too many open files']),
    ];
    const local = buildBank(guarded).bank;
    const pool = new MatcherPool({ threads: 2, minChunkTexts: 1 });
    try {
      const generation = await pool.load(local.rules);
      const socket = 'java.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)';
      const fork = 'java.io.IOException: Too many open files\n\tat java.lang.UNIXProcess.forkAndExec(Native Method)';
      const texts = [socket, fork, fork, socket, 'nothing'];
      const got = await pool.match(generation, texts);
      expect(got).toEqual(texts.map((t) => matchRecordText(local, t)));
      expect(got.map((ms) => ms.map((m) => local.rules[m.rule]?.id))).toEqual([
        ['java/emfile', 'any/emfile'],
        ['any/emfile'],
        ['any/emfile'],
        ['java/emfile', 'any/emfile'],
        [],
      ]);
      // Both threads did part of the work: each one's bank has the guard.
      expect(pool.threads().every((t) => t.chunks > 0)).toBe(true);
    } finally {
      await pool.close();
      local.close();
    }
  }, 60_000);
});
