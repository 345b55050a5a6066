/**
 * A cheap summary of what a rules load would read: every directory and rule file reached from
 * the configured paths the way src/kb/find-files.ts walks them (symlinks followed, dot entries
 * skipped), each file by its visible name, the real path it resolves to, its size, mtime and
 * inode. Equal fingerprints: nothing a load would see has changed.
 *
 * Resolving through realpath is what catches a Kubernetes ConfigMap update: the visible
 * `rules/x.json -> ..data/x.json` link stays as it is while `..data` is swapped to a new
 * timestamped directory, so the file's real path changes even when size and mtime would not.
 * No file content is read.
 *
 * The tree is read with synchronous calls, yielding to the event loop every few hundred
 * entries: the watcher runs this every FAULTLINE_RULES_WATCH_MS (10 s) for the worker's whole
 * life, and through fs.promises the deadends KB (2,045 directories, 2,522 files) cost 150-250 ms
 * of CPU per pass (thread-pool round trips for every readdir and stat): 2 % of a core on an
 * idle worker. Synchronously the same pass is 20-30 ms.
 *
 * A `DirectoryListings` kept between passes (the watcher keeps one) spares the readdir of a
 * directory whose mtime, ctime and inode are what they were when it was listed: any entry added,
 * removed or renamed changes them. A listing made less than LISTING_TRUST_MS after the
 * directory's mtime is not reused (a change in the same clock tick would not show).
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import path from 'node:path';

/** Entries looked at before giving up on the rest (the KB has a few thousand files). */
export const MAX_FINGERPRINT_ENTRIES = 100_000;
/** A directory's entries as last read, and what its stat said then. */
export type DirectoryListings = Map<string, { stamp: string; list: Dirent[] }>;
const LISTING_TRUST_MS = 2000;

/** Entries looked at between two yields to the event loop (~2 ms of work). */
const YIELD_EVERY = 256;

export async function rulesFingerprint(
  roots: readonly string[],
  maxEntries = MAX_FINGERPRINT_ENTRIES,
  listings?: DirectoryListings,
  /**
   * Filled with the real directories whose entries the fingerprint depends on, for the watcher
   * to watch: every directory walked (with its inode: one deleted and made again is another
   * directory to watch), and the directory of each file reached through a symlink (inode 0).
   */
  watchDirs?: Map<string, number>,
): Promise<string> {
  const listDir = (dir: string, real: string): Dirent[] => {
    if (listings === undefined) {
      if (watchDirs !== undefined) watchDirs.set(real, statSync(dir).ino);
      return sortedList(dir);
    }
    const info = statSync(dir);
    watchDirs?.set(real, info.ino);
    const stamp = `${info.ino} ${info.mtimeMs} ${info.ctimeMs}`;
    const known = listings.get(dir);
    if (known !== undefined && known.stamp === stamp) return known.list;
    const list = sortedList(dir);
    if (Date.now() - info.mtimeMs > LISTING_TRUST_MS && Date.now() - info.ctimeMs > LISTING_TRUST_MS) listings.set(dir, { stamp, list });
    else listings.delete(dir);
    return list;
  };
  const hash = createHash('sha256');
  // Hashed in one go at the end: one update per line was a sixth of a pass.
  const lines: string[] = [];
  const note = (line: string): void => {
    lines.push(line);
  };
  const seenDirs = new Set<string>();
  let entries = 0;
  let sinceYield = 0;

  /** `real`: known when no symlink leads to the file (a plain entry of a resolved directory). */
  const fileLine = (file: string, known?: string): string => {
    try {
      const real = known ?? realpathSync(file);
      if (known === undefined && watchDirs !== undefined && !watchDirs.has(path.dirname(real))) watchDirs.set(path.dirname(real), 0);
      const info = statSync(real);
      return `f ${file} -> ${real} ${info.size} ${info.mtimeMs} ${info.ino}`;
    } catch (error) {
      return `! ${file} ${codeOf(error)}`;
    }
  };

  /**
   * Depth first: a directory's line, its files, then its subdirectories in name order. A loop
   * over a stack, yielding every YIELD_EVERY entries, rather than an async call per directory
   * and an await per file (those were about half of a pass).
   */
  const walk = async (root: string): Promise<void> => {
    const stack: { dir: string; known: string | undefined }[] = [{ dir: root, known: undefined }];
    while (stack.length > 0) {
      const { dir, known } = stack.pop() as { dir: string; known: string | undefined };
      let real: string;
      let list: Dirent[];
      try {
        real = known ?? realpathSync(dir);
        note(`d ${dir} -> ${real}`);
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
        list = listDir(dir, real);
      } catch (error) {
        note(`! ${dir} ${codeOf(error)}`);
        continue;
      }
      // Real paths of plain entries follow from the directory's: realpath only behind a symlink.
      const dirs: { dir: string; known: string | undefined }[] = [];
      for (const entry of list) {
        if (entry.name.startsWith('.')) continue;
        if (++entries > maxEntries) break;
        const full = child(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        const linked = entry.isSymbolicLink();
        if (linked) {
          try {
            const target = statSync(full);
            isDir = target.isDirectory();
            isFile = target.isFile();
          } catch (error) {
            note(`! ${full} ${codeOf(error)}`);
            continue;
          }
        }
        const entryReal = linked ? undefined : child(real, entry.name);
        if (isDir) dirs.push({ dir: full, known: entryReal });
        else if (isFile && entry.name.endsWith('.json')) {
          note(fileLine(full, entryReal));
          if (++sinceYield >= YIELD_EVERY) {
            sinceYield = 0;
            await setImmediate();
          }
        }
      }
      // Pushed last first, so that they are walked in name order.
      for (let k = dirs.length - 1; k >= 0; k--) stack.push(dirs[k] as { dir: string; known: string | undefined });
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await setImmediate();
      }
    }
  };

  for (const root of roots) {
    try {
      const info = statSync(root);
      if (info.isDirectory()) await walk(root);
      else note(fileLine(root));
    } catch (error) {
      note(`! ${root} ${codeOf(error)}`);
    }
  }
  if (entries > maxEntries) note(`truncated at ${maxEntries}`);
  if (lines.length > 0) hash.update(`${lines.join('\n')}\n`);
  return hash.digest('hex');
}

function sortedList(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** path.join for a directory and one entry name (measured: path.join was a fifth of a pass). */
function child(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
