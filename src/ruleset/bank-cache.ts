/**
 * A cache of loaded and planned rule sets, so that a start (scan above all) skips parsing,
 * checking, normalising and analysing 2,500 rule files: the bank is then made from the cached
 * plan (src/match/bank.ts, bankFromPlan), its regexes compiled only when first needed.
 *
 * Never stale: the key is a hash of every rule file's path and content, in load order, and of
 * everything that could make the same files load differently — the cache format, faultline's
 * version, the loader and matcher code itself (the files of src/kb and src/match as shipped, so
 * a rebuilt checkout does not reuse plans of older code), the re2 package's version, the Node
 * ABI and the bank options. A file that could not be read makes the load uncacheable.
 *
 * Safe with several writers (two workers starting on one volume): an entry is written to a
 * file of its own and renamed into place, so readers see a whole entry or none. An entry that
 * does not parse, or names another key, is ignored with a warning and rewritten.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ReadRules } from '../kb/load.js';
import type { Rule, RuleProblem, SkippedFile } from '../kb/types.js';
import type { BankPlan } from '../match/bank.js';

/** Bumped whenever the entry's shape changes. */
const CACHE_FORMAT = 1;
/** Entries kept: each rule change makes a new one, the oldest go (a few MB each at 2,500 rules). */
const KEEP_ENTRIES = 3;

/** What a cached entry gives back: the per-file load result (find problems are the caller's) and the plan. */
export interface CachedLoad {
  rules: Rule[];
  /** Problems of the files themselves (parse, schema, regex, duplicate ids). */
  problems: RuleProblem[];
  skipped: SkippedFile[];
  plan: BankPlan;
  /** rulesVersion of the bank's rules (load-bank.ts), which would otherwise hash them all again. */
  version: string;
}

interface Entry extends CachedLoad {
  format: number;
  key: string;
}

export interface BankCacheOptions {
  /** Directory of the entries; created when missing. */
  dir: string;
  /** One line for what the cache could not do (unreadable, corrupt, unwritable); never fatal. */
  warn: (message: string) => void;
}

/** FAULTLINE_CACHE_DIR's default: $XDG_CACHE_HOME/faultline, else ~/.cache/faultline. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'faultline');
}

let engineKey: string | undefined;

/** Everything but the rules that decides what a load gives (computed once per process). */
function engine(): string {
  if (engineKey !== undefined) return engineKey;
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const re2 = JSON.parse(readFileSync(require.resolve('re2/package.json'), 'utf8')) as { version: string };
  hash.update(`format ${CACHE_FORMAT}\0faultline ${own.version}\0re2 ${re2.version}\0`);
  hash.update(`node ${process.version} abi ${process.versions.modules} ${process.platform}-${process.arch}\0`);
  for (const folder of ['../kb/', '../match/']) {
    const dir = new URL(folder, import.meta.url);
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(name)) continue;
      hash.update(name);
      hash.update(readFileSync(new URL(name, dir)));
    }
  }
  engineKey = hash.digest('hex');
  return engineKey;
}

/** The key of a load: undefined when some file could not be read (its error is not content). */
export function cacheKey(read: ReadRules, bankOptions: object = {}): string | undefined {
  const hash = createHash('sha256');
  hash.update(engine());
  hash.update(JSON.stringify(bankOptions));
  for (const f of read.files) {
    if (!('text' in f)) return undefined;
    hash.update(`\0${f.file}\0${f.text.length}\0`);
    hash.update(f.text);
  }
  return hash.digest('hex');
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, `bank-${key.slice(0, 32)}.json`);
}

export function readCached(opts: BankCacheOptions, key: string): CachedLoad | undefined {
  const file = entryPath(opts.dir, key);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.warn(`rule cache: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  try {
    const entry = JSON.parse(text) as Partial<Entry>;
    if (entry.format !== CACHE_FORMAT || entry.key !== key || !isCachedLoad(entry)) throw new Error('not an entry for these rules');
    return { rules: entry.rules, problems: entry.problems, skipped: entry.skipped, plan: entry.plan, version: entry.version };
  } catch (err) {
    opts.warn(`rule cache: ignoring corrupt entry ${file} (${(err as Error).message}); building the bank anew`);
    return undefined;
  }
}

function isCachedLoad(e: Partial<Entry>): e is Entry {
  const plan = e.plan as Partial<BankPlan> | undefined;
  return (
    Array.isArray(e.rules) &&
    Array.isArray(e.problems) &&
    Array.isArray(e.skipped) &&
    typeof e.version === 'string' &&
    plan !== undefined &&
    Array.isArray(plan.kept) &&
    Array.isArray(plan.patterns) &&
    Array.isArray(plan.problems) &&
    typeof plan.options === 'object'
  );
}

/** Stores an entry; a cache that cannot be written is said once per call and otherwise ignored. */
export function writeCached(opts: BankCacheOptions, key: string, load: CachedLoad): void {
  const file = entryPath(opts.dir, key);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const entry: Entry = { format: CACHE_FORMAT, key, ...load };
  try {
    mkdirSync(opts.dir, { recursive: true });
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, file);
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing was written, or the directory is not ours to clean.
    }
    opts.warn(`rule cache: cannot write ${file}: ${(err as Error).message}`);
    return;
  }
  pruneOldEntries(opts.dir);
}

/** Removes all but the newest entries. Races with another writer only cost a rebuild. */
function pruneOldEntries(dir: string): void {
  try {
    const entries = readdirSync(dir)
      .filter((n) => /^bank-[0-9a-f]{32}\.json$/.test(n))
      .map((n) => ({ file: path.join(dir, n), mtime: statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(KEEP_ENTRIES)) rmSync(old.file, { force: true });
  } catch {
    // A file another writer removed first, or a directory we may not list: nothing to do.
  }
}

/** The cache a command uses, from FAULTLINE_CACHE_DIR (unset: the default directory; "off": none). */
export function bankCacheFrom(setting: string | undefined, warn: (message: string) => void): BankCacheOptions | undefined {
  if (setting === 'off') return undefined;
  return { dir: setting ?? defaultCacheDir(), warn };
}
