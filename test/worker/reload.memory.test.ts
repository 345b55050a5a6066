/**
 * Repeated live reloads of the shipped KB do not grow memory once the allocator has warmed up:
 * every swapped-out bank is closed and freed, also when a batch still held it during the swap. The bound is calibrated in the
 * test itself: it is half of what 30 leaked banks would cost, measured by keeping a few banks
 * alive. Not a timing test; RSS after forced GCs, with room for allocator noise.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatcherBank } from '../../src/match/types.js';
import { NOOP_OBSERVER } from '../../src/pipeline/observer.js';
import { loadBank } from '../../src/ruleset/load-bank.js';
import { openLiveRules } from '../../src/ruleset/live-rules.js';
import { memoryLogger } from './support/memory-logger.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Native RE2 objects are freed by weak callbacks that run after a GC, between event-loop turns. */
async function rssAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().rss;
}

const MB = 1024 * 1024;
const RELOADS = 30;
const WINDOWS = 4;

// A snapshot: someone editing rules/ meanwhile must not change what is measured.
const KB = mkdtempSync(path.join(tmpdir(), 'faultline-reload-mem-'));
cpSync(fileURLToPath(new URL('../../rules', import.meta.url)), KB, { recursive: true });
afterAll(() => rmSync(KB, { recursive: true, force: true }));

describe('live reload memory', () => {
  it(`levels off: ${RELOADS} reloads of the shipped KB in a row stop growing memory`, async () => {
    const rules = await openLiveRules({ dirs: [KB], strict: false, watchMs: 0, logger: memoryLogger('warn').logger, observer: NOOP_OBSERVER });
    const reload = async (i: number): Promise<void> => {
      const old = rules.banks.current();
      // Every other reload happens while a batch holds the old bank.
      const lease = i % 2 === 0 ? rules.banks.acquire() : undefined;
      expect(await rules.reload('test')).toBe(true);
      lease?.bank.match('still usable by the batch that holds it');
      lease?.release();
      expect(() => old.match('x'), 'the swapped-out bank is closed').toThrow(/closed/);
    };
    for (let i = 0; i < 2; i++) await reload(i);

    // What a leak would cost: banks that stay alive. Measured first, while freed memory cannot
    // absorb them yet; freeing them afterwards leaves room that only helps a leak hide, a little.
    const kept: MatcherBank[] = [];
    const base = await rssAfterGc();
    for (let i = 0; i < 4; i++) kept.push((await loadBank({ dirs: [KB], strict: false }, NOOP_OBSERVER)).bank);
    const perBank = ((await rssAfterGc()) - base) / kept.length;
    for (const b of kept.splice(0)) b.close();

    // The allocator's pools fill up over the first reloads before RSS levels off: within 5
    // reloads on Node 20, 30-60 on Node 24 (measured: +70 MB, then flat over 150 more). A leak
    // never levels off: every window of RELOADS reloads grows by about RELOADS banks. So the
    // windows run until one stays under half of that, at most WINDOWS of them.
    const bound = 0.5 * RELOADS * perBank;
    const growths: number[] = [];
    let before = await rssAfterGc();
    for (let w = 0; w < WINDOWS; w++) {
      for (let i = 0; i < RELOADS; i++) await reload(i);
      const after = await rssAfterGc();
      const growth = after - before;
      growths.push(growth);
      before = after;
      if (growth < bound) break;
    }
    rules.close();

    const last = growths.at(-1) ?? Infinity;
    console.log(`reload memory: growth per ${RELOADS} reloads ${growths.map((g) => (g / MB).toFixed(1)).join(', ')} MB; a kept bank costs ${(perBank / MB).toFixed(1)} MB`);
    expect(perBank / MB, 'a kept bank costs measurable memory').toBeGreaterThan(1);
    expect(last / MB).toBeLessThan(bound / MB);
  }, 300_000);
});
