/**
 * Loose bounds on memory: a bank that is built and closed again and again, or that matches for
 * a long time, must not grow without bound. Not a timing test; the bounds are generous so
 * that allocator noise cannot fail it, while a leak of the native RE2 objects (tens of MB per
 * round here) would.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import type { MatcherBank } from '../../src/match/types.js';
import { makeRule } from './support/rules.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Native RE2 objects are freed by weak callbacks that run after a GC, between event-loop turns. */
async function collect(): Promise<void> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

async function rssAfterGc(): Promise<number> {
  await collect();
  await collect();
  return process.memoryUsage().rss;
}

const MB = 1024 * 1024;
/** Build-and-close rounds per window, windows at most, and what one window may grow. */
const ROUNDS = 20;
const WINDOWS = 4;
const WINDOW_BOUND_MB = 40;

/** 400 rules shaped like real ones: literals, alternations, (?i), bounded gaps, some unfiltered. */
function rules(seed: number): ReturnType<typeof makeRule>[] {
  return Array.from({ length: 400 }, (_, i) => {
    const n = seed * 1000 + i;
    return makeRule(`mem/${i}`, [
      `(?i)(Error${n}|fault ${n}).{0,40}(refused|reset|timed out)`,
      `Pool${n} exhausted after \\d+ ms`,
      i % 50 === 0 ? `\\d{3}-${i % 7}[a-z]+` : `warn${n}`,
    ]);
  });
}

describe('bank memory', () => {
  it('frees a closed bank even while something still holds it', async () => {
    const texts = ['nothing here', 'ERROR7 and more: connection refused', 'Pool12 exhausted after 30 ms', '123-4abc'];
    // A stale reference (an old bank kept by a holder or a closure) must not keep RE2 alive.
    const stale: MatcherBank[] = [];
    const round = async (seed: number): Promise<void> => {
      const { bank } = buildBank(rules(seed));
      for (const t of texts) bank.match(t);
      bank.close();
      stale.push(bank);
      await collect();
    };
    // The allocator's pools fill up over the first rounds before RSS levels off (longer on
    // Node 24 than on 20); a leak never levels off. So windows of rounds run until one grows
    // less than the bound, at most WINDOWS of them.
    let seed = 0;
    for (; seed < 8; seed++) await round(seed);
    const growths: number[] = [];
    let before = await rssAfterGc();
    for (let w = 0; w < WINDOWS; w++) {
      for (const end = seed + ROUNDS; seed < end; seed++) await round(seed);
      const after = await rssAfterGc();
      const growth = (after - before) / MB;
      growths.push(growth);
      before = after;
      if (growth < WINDOW_BOUND_MB) break;
    }
    console.log(`bank memory: growth per ${ROUNDS} build-and-close rounds ${growths.map((g) => g.toFixed(1)).join(', ')} MB`);
    expect(growths.at(-1)).toBeLessThan(WINDOW_BOUND_MB);
    expect(stale).toHaveLength(seed);
  }, 300_000);

  it('does not grow while one bank matches many records', async () => {
    const { bank } = buildBank(rules(0));
    const record = (i: number): string => `line ${i} Error${i % 400} then connection reset; Pool${i % 13} exhausted after ${i} ms\n`.repeat(3);
    for (let i = 0; i < 5_000; i++) bank.match(record(i));
    const settled = await rssAfterGc();
    for (let i = 0; i < 40_000; i++) bank.match(record(i));
    const after = await rssAfterGc();
    expect((after - settled) / MB).toBeLessThan(60);
    bank.close();
  }, 300_000);
});
