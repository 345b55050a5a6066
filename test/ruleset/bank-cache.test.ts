import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MatcherBank } from '../../src/match/types.js';
import { NOOP_OBSERVER } from '../../src/pipeline/observer.js';
import { CACHE_FORMAT, type BankCacheOptions } from '../../src/ruleset/bank-cache.js';
import { loadBank, type LoadedBank } from '../../src/ruleset/load-bank.js';
import { DEADENDS_DIR, flatRecord, REPO_ROOT, removeRulesDirs, rulesDir, SHARED_MISSING } from '../kb/rule-files.js';

const temps: string[] = [];
afterEach(async () => {
  await removeRulesDirs();
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function cacheIn(): Promise<BankCacheOptions & { warnings: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-cache-'));
  temps.push(dir);
  const warnings: string[] = [];
  return { dir, warn: (m) => warnings.push(m), warnings };
}

const load = (dirs: string[], cache?: BankCacheOptions): Promise<LoadedBank> =>
  loadBank({ dirs, strict: false, ...(cache === undefined ? {} : { cache }) }, NOOP_OBSERVER);

/** Every rule's own examples, and the other rules' examples against each bank: what each bank says. */
/** A cold build of `dir`, then a first load that writes the cache and a second that hits it; the hit's rules equal the cold build's. */
async function coldThenHit(dir: string): Promise<{ cache: BankCacheOptions & { warnings: string[] }; cold: LoadedBank; hit: LoadedBank }> {
  const cache = await cacheIn();
  const cold = await load([dir]);
  (await load([dir], cache)).bank.close();
  const hit = await load([dir], cache);
  expect(hit.cache).toBe('hit');
  expect(hit.bank.rules).toEqual(cold.bank.rules);
  return { cache, cold, hit };
}

function matchesOf(bank: MatcherBank, texts: readonly string[]): unknown[] {
  return texts.map((t) => bank.match(t).map((m) => ({ id: bank.rules[m.rule]?.id, pattern: m.pattern, start: m.start, end: m.end })));
}

function exampleTexts(bank: MatcherBank): string[] {
  const texts = bank.rules.flatMap((r) => [...(r.examples?.match ?? []), ...(r.examples?.no_match ?? [])].map((e) => e.text));
  return [...texts, 'nothing to see here', 'Ünïcödé text before a timeout: connection pool exhausted'];
}

async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(".bin"));
}

describe('rule cache', () => {
  it("a hit gives the cold build's rules, problems, version and matches (repo rules)", { timeout: 60_000 }, async () => {
    const rules = path.join(REPO_ROOT, 'rules');
    const cache = await cacheIn();
    const cold = await load([rules]);
    const miss = await load([rules], cache);
    const hit = await load([rules], cache);
    expect([cold.cache, miss.cache, hit.cache]).toEqual(['off', 'miss', 'hit']);
    const texts = exampleTexts(cold.bank);
    expect(texts.length).toBeGreaterThan(100);
    for (const loaded of [miss, hit]) {
      expect(loaded.bank.rules).toEqual(cold.bank.rules);
      expect(loaded.problems).toEqual(cold.problems);
      expect(loaded.version).toBe(cold.version);
      expect(matchesOf(loaded.bank, texts)).toEqual(matchesOf(cold.bank, texts));
    }
    expect(cache.warnings).toEqual([]);
    for (const l of [cold, miss, hit]) l.bank.close();
  });

  it.skipIf(SHARED_MISSING !== undefined)('a hit matches like a cold build on the 2,522 deadends rules', { timeout: 120_000 }, async () => {
    const cache = await cacheIn();
    const cold = await load([DEADENDS_DIR]);
    await load([DEADENDS_DIR], cache).then((l) => l.bank.close());
    const hit = await load([DEADENDS_DIR], cache);
    expect(hit.cache).toBe('hit');
    expect(hit.bank.rules.length).toBe(cold.bank.rules.length);
    const texts = exampleTexts(cold.bank);
    expect(matchesOf(hit.bank, texts)).toEqual(matchesOf(cold.bank, texts));
    cold.bank.close();
    hit.bank.close();
  });

  it("a hit's records are the files' JSON, read when first asked for, and copy like plain data", async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex: 'boom one', team: { name: 'sre' } }) });
    const cache = await cacheIn();
    const cold = await load([dir]);
    (await load([dir], cache)).bank.close();
    const hit = await load([dir], cache);
    expect(hit.cache).toBe('hit');
    const rule = hit.bank.rules[0];
    if (rule === undefined) throw new Error('no rule');
    const want = JSON.parse(await readFile(path.join(dir, 'a.json'), 'utf8')) as unknown;
    expect(structuredClone(rule)).toEqual(cold.bank.rules[0]);
    expect(JSON.parse(JSON.stringify(rule))).toEqual(JSON.parse(JSON.stringify(cold.bank.rules[0])));
    expect(rule.record).toEqual(want);
    expect(rule.record).toBe(rule.record);
    expect({ ...rule }.record).toEqual(want);
    cold.bank.close();
    hit.bank.close();
  });

  it('a hit gives back non-ASCII rule text exactly (the entry stores it escaped)', async () => {
    const regex = 'délai dépassé|接続がタイムアウト|😱 boom';
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex, root_cause: 'Ünïcödé — “quoted” 𝔘 text' }) });
    const { cache, cold, hit } = await coldThenHit(dir);
    expect(hit.bank.rules[0]?.patterns[0]?.regex).toContain('接続がタイムアウト');
    const texts = ['x délai dépassé y', '接続がタイムアウト', '😱 boom', 'nothing'];
    expect(matchesOf(hit.bank, texts)).toEqual(matchesOf(cold.bank, texts));
    const [entry] = await entries(cache.dir);
    const bytes = await readFile(path.join(cache.dir, entry as string));
    const json = bytes.subarray(12, 12 + bytes.readUInt32LE(4));
    expect(json.every((b) => b < 0x80)).toBe(true);
    cold.bank.close();
    hit.bank.close();
  });

  it("changing one rule's content is a miss and the bank has the new rule", async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex: 'boom one' }), 'b.json': flatRecord({ id: 't/b', regex: 'bang two' }) });
    const cache = await cacheIn();
    (await load([dir], cache)).bank.close();
    const again = await load([dir], cache);
    expect(again.cache).toBe('hit');
    again.bank.close();

    await writeFile(path.join(dir, 'b.json'), JSON.stringify(flatRecord({ id: 't/b', regex: 'bang three' })));
    const changed = await load([dir], cache);
    expect(changed.cache).toBe('miss');
    expect(changed.bank.match('bang three').map((m) => changed.bank.rules[m.rule]?.id)).toEqual(['t/b']);
    expect(changed.bank.match('bang two')).toEqual([]);
    expect(changed.version).not.toBe(again.version);
    changed.bank.close();
    expect(await entries(cache.dir)).toHaveLength(2);
  });

  it('a hit keeps the rules\' unless guards: the bank silences what the cold build silences', async () => {
    const dir = await rulesDir({
      'a.json': flatRecord({ id: 't/a', regex: 'Too many open files', unless: ['forkAndExec', 'ProcessBuilder'] }),
      'b.json': flatRecord({ id: 't/b', regex: 'open files' }),
    });
    const { cold, hit } = await coldThenHit(dir);
    expect(hit.bank.rules[0]?.unless).toEqual([
      { regex: 'forkAndExec', field: 'unless[0]' },
      { regex: 'ProcessBuilder', field: 'unless[1]' },
    ]);
    const texts = ['Too many open files', 'Too many open files\n\tat java.lang.UNIXProcess.forkAndExec(Native Method)', 'x ProcessBuilder Too many open files'];
    expect(matchesOf(hit.bank, texts)).toEqual(matchesOf(cold.bank, texts));
    expect(texts.map((t) => hit.bank.match(t).map((m) => hit.bank.rules[m.rule]?.id))).toEqual([['t/a', 't/b'], ['t/b'], ['t/b']]);
    cold.bank.close();
    hit.bank.close();
  });

  it(`never serves an entry of an older format (${CACHE_FORMAT - 1}, whose rules had no guards), even under the current key`, async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex: 'Too many open files', unless: 'forkAndExec' }) });
    const cache = await cacheIn();
    (await load([dir], cache)).bank.close();
    const [name] = await entries(cache.dir);
    const file = path.join(cache.dir, name as string);
    const whole = await readFile(file);
    const current = Buffer.from(`{"format":${CACHE_FORMAT},`, 'latin1');
    expect(whole.indexOf(current)).toBe(12);
    // The same entry, said to be of the previous format (same length, so only the format differs).
    const older = Buffer.from(whole);
    older.write(`{"format":${CACHE_FORMAT - 1},`, 12, 'latin1');
    await writeFile(file, older);
    const loaded = await load([dir], cache);
    expect(loaded.cache).toBe('miss');
    expect(cache.warnings.join('\n')).toMatch(/ignoring corrupt entry/);
    expect(loaded.bank.match('Too many open files at forkAndExec')).toEqual([]);
    loaded.bank.close();
  });

  it('keeps the newest three entries', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex: 'boom 0' }) });
    const cache = await cacheIn();
    for (let i = 0; i < 5; i++) {
      await writeFile(path.join(dir, 'a.json'), JSON.stringify(flatRecord({ id: 't/a', regex: `boom ${i}` })));
      (await load([dir], cache)).bank.close();
    }
    expect(await entries(cache.dir)).toHaveLength(3);
  });

  it('the same rules read through another path are not served the first path\'s entry', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a' }) });
    const copy = await mkdtemp(path.join(tmpdir(), 'faultline-rules-copy-'));
    temps.push(copy);
    await cp(dir, copy, { recursive: true });
    const cache = await cacheIn();
    (await load([dir], cache)).bank.close();
    const other = await load([copy], cache);
    expect(other.cache).toBe('miss');
    expect(other.bank.rules[0]?.file).toBe(path.join(copy, 'a.json'));
    other.bank.close();
  });

  it('a corrupt entry is ignored with a warning, the bank built anew and the entry rewritten', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a', regex: 'boom one' }) });
    const cache = await cacheIn();
    (await load([dir], cache)).bank.close();
    const [name] = await entries(cache.dir);
    const file = path.join(cache.dir, name as string);
    const whole = await readFile(file);
    for (const broken of [whole.subarray(0, whole.length >> 1), Buffer.concat([whole, Buffer.from('x')]), '{"format":3,"key":"another"}', 'null']) {
      await writeFile(file, broken);
      cache.warnings.length = 0;
      const loaded = await load([dir], cache);
      expect(loaded.cache).toBe('miss');
      expect(cache.warnings).toHaveLength(1);
      expect(cache.warnings[0]).toMatch(/rule cache: ignoring corrupt entry .*bank-[0-9a-f]+\.bin/);
      expect(loaded.bank.match('x boom one x').map((m) => loaded.bank.rules[m.rule]?.id)).toEqual(['t/a']);
      loaded.bank.close();
      const next = await load([dir], cache);
      expect(next.cache).toBe('hit');
      next.bank.close();
    }
  });

  it('an unwritable cache directory is a warning, not a failure', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a' }) });
    const cache = await cacheIn();
    const blocker = path.join(cache.dir, 'file');
    await writeFile(blocker, 'not a directory');
    const loaded = await load([dir], { dir: path.join(blocker, 'sub'), warn: cache.warn });
    expect(loaded.bank.rules).toHaveLength(1);
    expect(cache.warnings.join('\n')).toMatch(/rule cache: cannot write/);
    loaded.bank.close();
  });
});
