// A directory laid out like a kubelet ConfigMap volume, updated the way the kubelet's atomic
// writer does it: the files go to a new hidden timestamped directory, `..data` is swapped to it
// with one rename, then the visible `name -> ..data/name` links are added or removed.
import { mkdir, mkdtemp, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Files = Record<string, unknown>;

export class ConfigMapDir {
  private generation = 0;

  private constructor(readonly dir: string) {}

  static async create(files: Files): Promise<ConfigMapDir> {
    const cm = new ConfigMapDir(await mkdtemp(path.join(tmpdir(), 'faultline-cm-')));
    await cm.update(files);
    return cm;
  }

  /** Replaces the whole content, as a ConfigMap update does. */
  async update(files: Files): Promise<void> {
    this.generation += 1;
    const stamp = `..2026_11_22_10_00_${String(this.generation).padStart(2, '0')}.${process.pid}`;
    const next = path.join(this.dir, stamp);
    await mkdir(next);
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(next, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
    const data = path.join(this.dir, '..data');
    const old = await readlink(data).catch(() => undefined);
    await symlink(stamp, path.join(this.dir, '..data_tmp'));
    await rename(path.join(this.dir, '..data_tmp'), data);
    const visible = (await readdir(this.dir)).filter((n) => !n.startsWith('.'));
    for (const name of Object.keys(files)) {
      if (!visible.includes(name)) await symlink(path.join('..data', name), path.join(this.dir, name));
    }
    for (const name of visible) if (!(name in files)) await rm(path.join(this.dir, name));
    if (old !== undefined) await rm(path.join(this.dir, old), { recursive: true, force: true });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
