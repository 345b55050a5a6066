import { mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rulesFingerprint } from '../../src/ruleset/rules-fingerprint.js';
import { RulesWatcher, WATCHED_POLL_MS, type RulesWatcherOptions } from '../../src/ruleset/rules-watcher.js';
import { flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { ConfigMapDir } from '../worker/support/configmap-dir.js';
import { eventually } from '../worker/support/eventually.js';
import { memoryLogger } from '../worker/support/memory-logger.js';

/** Long enough that no poll happens during a test: checks are driven by hand unless said otherwise. */
const NEVER = 3_600_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await removeRulesDirs();
});

async function configMap(files: Record<string, unknown>): Promise<ConfigMapDir> {
  const cm = await ConfigMapDir.create(files);
  cleanups.push(() => cm.remove());
  return cm;
}

/** A started watcher whose reloads are counted; `onReload` runs inside each reload. */
async function watching(dir: string, opts: Partial<RulesWatcherOptions> & { onReload?: () => Promise<void> } = {}) {
  const state = { reloads: 0, namesAtReload: [] as string[][] };
  const { onReload, ...rest } = opts;
  const watcher = new RulesWatcher({
    dirs: [dir],
    intervalMs: NEVER,
    settleMs: 1,
    fastTrigger: false,
    logger: memoryLogger().logger,
    reload: async () => {
      state.namesAtReload.push((await readdir(dir)).filter((n) => !n.startsWith('.')).sort());
      state.reloads += 1;
      await onReload?.();
    },
    ...rest,
  });
  cleanups.push(() => watcher.stop());
  await watcher.start();
  return { watcher, state };
}

const rule = (id: string, regex = `boom ${id}`) => flatRecord({ id: `t/${id}`, regex });

describe('RulesWatcher on a ConfigMap-style directory', () => {
  it('does not reload while nothing changes', async () => {
    const cm = await configMap({ 'a.json': rule('a') });
    const { watcher, state } = await watching(cm.dir);
    expect(await watcher.check()).toBe(false);
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(0);
  });

  it('reloads once when ..data is swapped to new content, then rests', async () => {
    const cm = await configMap({ 'a.json': rule('a', 'boom one') });
    const { watcher, state } = await watching(cm.dir);
    // Same name, same size: only the symlink target tells.
    await cm.update({ 'a.json': rule('a', 'boom two') });
    expect(await watcher.check()).toBe(true);
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(1);
  });

  it('reloads when a file is added to or removed from the ConfigMap', async () => {
    const cm = await configMap({ 'a.json': rule('a') });
    const { watcher, state } = await watching(cm.dir);
    await cm.update({ 'a.json': rule('a'), 'b.json': rule('b') });
    expect(await watcher.check()).toBe(true);
    expect(state.namesAtReload.at(-1)).toEqual(['a.json', 'b.json']);
    await cm.update({ 'b.json': rule('b') });
    expect(await watcher.check()).toBe(true);
    expect(state.namesAtReload.at(-1)).toEqual(['b.json']);
    expect(state.reloads).toBe(2);
  });

  it('notices a swap by polling alone', async () => {
    const cm = await configMap({ 'a.json': rule('a') });
    const { state } = await watching(cm.dir, { intervalMs: 20 });
    await cm.update({ 'a.json': rule('a'), 'b.json': rule('b') });
    await eventually(() => state.reloads === 1, 'a reload from polling');
    expect(state.namesAtReload[0]).toEqual(['a.json', 'b.json']);
  });

  it('notices a swap through fs.watch without waiting for a poll', async () => {
    const cm = await configMap({ 'a.json': rule('a') });
    const { state } = await watching(cm.dir, { fastTrigger: true, settleMs: 20 });
    await cm.update({ 'a.json': rule('a', 'boom again') });
    await eventually(() => state.reloads === 1, 'a reload from fs.watch');
  });
});

describe('RulesWatcher on a plain directory', () => {
  it('reloads after an edit in place, an added file and a removed file', async () => {
    const dir = await rulesDir({ 'a.json': rule('a'), 'sub/b.json': rule('b') });
    const { watcher, state } = await watching(dir);
    await writeFile(path.join(dir, 'a.json'), JSON.stringify(rule('a', 'boom edited in place')));
    expect(await watcher.check()).toBe(true);
    await writeFile(path.join(dir, 'sub', 'c.json'), JSON.stringify(rule('c')));
    expect(await watcher.check()).toBe(true);
    await rm(path.join(dir, 'sub', 'b.json'));
    expect(await watcher.check()).toBe(true);
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(3);
  });

  it('ignores files the loader would not read', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    const { watcher, state } = await watching(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    await writeFile(path.join(dir, '.a.json.swp'), 'x');
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(0);
  });

  it('reloads once for a burst of edits, after the last one', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    // Each look at the tree finds one more file written since the last: a copy in progress.
    const burst = ['b', 'c', 'd', 'e', 'f'];
    let looks = 0;
    const { watcher, state } = await watching(dir, {
      fingerprint: async (dirs) => {
        looks += 1;
        const next = burst[looks - 2]; // the first look is the baseline
        if (next !== undefined) await writeFile(path.join(dir, `${next}.json`), JSON.stringify(rule(next)));
        return rulesFingerprint(dirs);
      },
    });
    // Triggers while the check runs fold into it.
    const checks = [watcher.check(), watcher.check(), watcher.check()];
    await Promise.all(checks);
    expect(state.reloads).toBe(1);
    expect(state.namesAtReload[0]).toEqual(['a.json', 'b.json', 'c.json', 'd.json', 'e.json', 'f.json']);
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(1);
  });

  it('reloads again for a change made while a reload was running', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    let first = true;
    const { watcher, state } = await watching(dir, {
      onReload: async () => {
        if (!first) return;
        first = false;
        await writeFile(path.join(dir, 'late.json'), JSON.stringify(rule('late')));
      },
    });
    await writeFile(path.join(dir, 'b.json'), JSON.stringify(rule('b')));
    expect(await watcher.check()).toBe(true);
    expect(await watcher.check()).toBe(true);
    expect(state.namesAtReload).toEqual([
      ['a.json', 'b.json'],
      ['a.json', 'b.json', 'late.json'],
    ]);
  });

  it('takes a given baseline: a change made before start is reloaded', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    const baseline = await rulesFingerprint([dir]);
    await writeFile(path.join(dir, 'b.json'), JSON.stringify(rule('b')));
    const state = { reloads: 0 };
    const watcher = new RulesWatcher({ dirs: [dir], intervalMs: NEVER, settleMs: 1, fastTrigger: false, logger: memoryLogger().logger, reload: async () => void (state.reloads += 1) });
    cleanups.push(() => watcher.stop());
    await watcher.start(baseline);
    expect(await watcher.check()).toBe(true);
    expect(state.reloads).toBe(1);
  });

  it('does nothing once stopped', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    const { watcher, state } = await watching(dir, { intervalMs: 20, fastTrigger: true });
    watcher.stop();
    await writeFile(path.join(dir, 'b.json'), JSON.stringify(rule('b')));
    expect(await watcher.check()).toBe(false);
    expect(state.reloads).toBe(0);
  });
});

describe('RulesWatcher with every directory watched (the poll a slow fallback)', () => {
  // The poll never runs in these tests: whatever is seen is seen through fs.watch.
  const eventsOnly = { fastTrigger: true, settleMs: 20, intervalMs: 50, watchedIntervalMs: NEVER } as const;

  it('watches each directory of a nested tree and then polls at the slow period', async () => {
    const dir = await rulesDir({ 'a.json': rule('a'), 'x/b.json': rule('b'), 'x/y/c.json': rule('c') });
    const { watcher } = await watching(dir, { fastTrigger: true, intervalMs: 10_000 });
    expect(watcher.watchedDirs).toBe(3);
    expect(watcher.pollMs).toBe(WATCHED_POLL_MS);
  });

  it('sees an edit in place deep in the tree, a new directory and a file in it, and a removal', async () => {
    const dir = await rulesDir({ 'a.json': rule('a'), 'x/y/c.json': rule('c') });
    const { watcher, state } = await watching(dir, eventsOnly);
    expect(watcher.pollMs).toBe(NEVER);
    await writeFile(path.join(dir, 'x/y/c.json'), JSON.stringify(rule('c', 'boom edited deep')));
    await eventually(() => state.reloads === 1, 'a reload for an edit two levels down');
    await mkdir(path.join(dir, 'x/new'));
    await writeFile(path.join(dir, 'x/new/d.json'), JSON.stringify(rule('d')));
    await eventually(() => state.reloads === 2, 'a reload for a new directory with a file');
    await eventually(() => watcher.watchedDirs === 4, 'the new directory watched');
    await writeFile(path.join(dir, 'x/new/d.json'), JSON.stringify(rule('d', 'boom edited in the new directory')));
    await eventually(() => state.reloads === 3, 'a reload for an edit in the new directory');
    await rm(path.join(dir, 'x/y/c.json'));
    await eventually(() => state.reloads === 4, 'a reload for a removed file');
  });

  it('sees a file in a directory deleted and made again under the same name', async () => {
    const dir = await rulesDir({ 'a.json': rule('a'), 'x/b.json': rule('b') });
    const { state } = await watching(dir, eventsOnly);
    await rm(path.join(dir, 'x'), { recursive: true });
    await eventually(() => state.reloads === 1, 'a reload for the removed directory');
    await mkdir(path.join(dir, 'x'));
    await writeFile(path.join(dir, 'x/b.json'), JSON.stringify(rule('b', 'boom again')));
    await eventually(() => state.reloads === 2, 'a reload for the directory made again');
    await writeFile(path.join(dir, 'x/b.json'), JSON.stringify(rule('b', 'boom a third time')));
    await eventually(() => state.reloads === 3, 'a reload for an edit in the directory made again');
  });

  it('sees a ConfigMap swap, and an edit in place of the file behind a symlink', async () => {
    const cm = await configMap({ 'a.json': rule('a') });
    const { watcher, state } = await watching(cm.dir, eventsOnly);
    expect(watcher.pollMs).toBe(NEVER);
    await cm.update({ 'a.json': rule('a', 'boom swapped') });
    await eventually(() => state.reloads === 1, 'a reload for the swap');
    // Not how a ConfigMap changes, but a symlinked file edited where it lives.
    const target = path.join(cm.dir, '..data', 'a.json');
    await writeFile(`${target}.tmp`, JSON.stringify(rule('a', 'boom edited behind the link')));
    await rename(`${target}.tmp`, target);
    await eventually(() => state.reloads === 2, 'a reload for the edit behind the link');
  });

  it('keeps the fast poll when a root is a symlink, or when the fingerprint names no directories', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    const link = `${dir}-link`;
    await symlink(dir, link);
    cleanups.push(() => rm(link, { force: true }));
    const linked = await watching(link, { fastTrigger: true, intervalMs: 10_000 });
    expect(linked.watcher.pollMs).toBe(10_000);
    const custom = await watching(dir, { fastTrigger: true, intervalMs: 10_000, fingerprint: () => rulesFingerprint([dir]) });
    expect(custom.watcher.pollMs).toBe(10_000);
    const off = await watching(dir, { fastTrigger: false, intervalMs: 10_000 });
    expect(off.watcher.pollMs).toBe(10_000);
    expect(off.watcher.watchedDirs).toBe(0);
  });

  it('a change made between the baseline and start is reloaded without waiting for a poll', async () => {
    const dir = await rulesDir({ 'a.json': rule('a') });
    const baseline = await rulesFingerprint([dir]);
    await writeFile(path.join(dir, 'b.json'), JSON.stringify(rule('b')));
    const state = { reloads: 0 };
    const watcher = new RulesWatcher({ dirs: [dir], ...eventsOnly, logger: memoryLogger().logger, reload: async () => void (state.reloads += 1) });
    cleanups.push(() => watcher.stop());
    await watcher.start(baseline);
    await eventually(() => state.reloads === 1, 'a reload for the change before start');
  });
});
