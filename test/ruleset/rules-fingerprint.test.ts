import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rulesFingerprint } from '../../src/ruleset/rules-fingerprint.js';
import { flatRecord, removeRulesDirs, rulesDir } from '../kb/rule-files.js';
import { ConfigMapDir } from '../worker/support/configmap-dir.js';

const maps: ConfigMapDir[] = [];
afterEach(async () => {
  await removeRulesDirs();
  await Promise.all(maps.splice(0).map((m) => m.remove()));
});

async function configMap(files: Record<string, unknown>): Promise<ConfigMapDir> {
  const cm = await ConfigMapDir.create(files);
  maps.push(cm);
  return cm;
}

describe('rulesFingerprint', () => {
  it('is stable while nothing changes', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord({ id: 't/a' }), 'sub/b.json': flatRecord({ id: 't/b' }) });
    expect(await rulesFingerprint([dir])).toBe(await rulesFingerprint([dir]));
  });

  it('changes when a ConfigMap update swaps ..data, even with the same names and sizes', async () => {
    const cm = await configMap({ 'a.json': flatRecord({ id: 't/a', regex: 'boom one' }) });
    const before = await rulesFingerprint([cm.dir]);
    await cm.update({ 'a.json': flatRecord({ id: 't/a', regex: 'boom two' }) });
    expect(await rulesFingerprint([cm.dir])).not.toBe(before);
  });

  it('ignores dot entries and files the loader does not read', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord() });
    const before = await rulesFingerprint([dir]);
    await writeFile(path.join(dir, 'README.md'), 'notes');
    await writeFile(path.join(dir, '.a.json.swp'), 'editor');
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, '.git', 'x.json'), '{}');
    expect(await rulesFingerprint([dir])).toBe(before);
  });

  it('follows symlinked directories and sees changes behind them', async () => {
    const target = await rulesDir({ 'b.json': flatRecord({ id: 't/b' }) });
    const dir = await rulesDir({ 'a.json': flatRecord() });
    await symlink(target, path.join(dir, 'linked'));
    const before = await rulesFingerprint([dir]);
    await writeFile(path.join(target, 'c.json'), JSON.stringify(flatRecord({ id: 't/c' })));
    expect(await rulesFingerprint([dir])).not.toBe(before);
  });

  it('tells a missing directory from an empty one, and is stable for each', async () => {
    const dir = await rulesDir();
    const empty = await rulesFingerprint([dir]);
    await rm(dir, { recursive: true });
    const missing = await rulesFingerprint([dir]);
    expect(missing).not.toBe(empty);
    expect(await rulesFingerprint([dir])).toBe(missing);
  });

  it('takes a rules path that names a file', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord() });
    const file = path.join(dir, 'a.json');
    const before = await rulesFingerprint([file]);
    await writeFile(file, JSON.stringify(flatRecord({ regex: 'boom changed here' })));
    expect(await rulesFingerprint([file])).not.toBe(before);
  });

  it('stops after a bounded number of entries', async () => {
    const dir = await rulesDir({ 'a.json': flatRecord(), 'b.json': flatRecord({ id: 't/b' }), 'c.json': flatRecord({ id: 't/c' }) });
    const capped = await rulesFingerprint([dir], 2);
    // A change past the cap is not seen: the bound is real.
    await writeFile(path.join(dir, 'c.json'), JSON.stringify(flatRecord({ id: 't/c', regex: 'boom changed later' })));
    expect(await rulesFingerprint([dir], 2)).toBe(capped);
    expect(await rulesFingerprint([dir])).not.toBe(capped);
  });
});
