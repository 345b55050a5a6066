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
 * An entry holds the rules without their records (those are parsed again from the files' text,
 * which is read anyway for the key), the problems, the bank plan and the prefilter index's
 * tables, the case-fold table too: making the bank from them costs little more than reading
 * the file. Layout: "FLBC", the JSON length and the tables' length (u32 LE each), the JSON, then
 * the typed arrays, each 8-byte aligned; the JSON (ASCII: other characters escaped) names each
 * array by offset and length.
 *
 * Safe with several writers (two workers starting on one volume): an entry is written to a
 * file of its own and renamed into place, so readers see a whole entry or none. An entry that
 * does not parse, has the wrong length, or names another key is ignored with a warning and
 * rewritten.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseJsonText } from '../kb/json-syntax.js';
import type { ReadRules } from '../kb/load.js';
import type { Rule, RuleProblem, SkippedFile } from '../kb/types.js';
import type { BankPlan } from '../match/bank.js';
import type { IndexTables } from '../match/prefilter-index.js';

/**
 * Bumped whenever the entry's shape changes. 5: rules carry their `unless` guards, which the bank
 * reads from them (an entry of 4 would give back guarded rules without their guards).
 */
export const CACHE_FORMAT = 5;
const MAGIC = 'FLBC';
const HEADER_BYTES = 12;
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
  /** The plan's prefilter index (null: the plan has no prefiltered pattern). */
  index: IndexTables | null;
  /** The case-fold table (src/match/case-fold.ts) the index was made with. */
  foldTable: Uint16Array;
}

interface Entry extends Omit<CachedLoad, 'rules'> {
  format: number;
  key: string;
  /** The rules without `record`, which is the file's own JSON. */
  rules: Omit<Rule, 'record'>[];
}

type ArrayKind = 'u16' | 'i32';
interface ArrayRef {
  $array: ArrayKind;
  at: number;
  length: number;
}

export interface BankCacheOptions {
  /** Directory of the entries; created when missing. */
  dir: string;
  /** One line for what the cache could not do (unreadable, corrupt, unwritable); never fatal. */
  warn: (message: string) => void;
}

/** FAULTLINE_CACHE_DIR's default: $XDG_CACHE_HOME/faultline/rules, else ~/.cache/faultline/rules. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'faultline', 'rules');
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
  return path.join(dir, `bank-${key.slice(0, 32)}.bin`);
}

export function readCached(opts: BankCacheOptions, key: string, read: ReadRules): CachedLoad | undefined {
  const file = entryPath(opts.dir, key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.warn(`rule cache: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  try {
    return decodeEntry(bytes, key, read);
  } catch (err) {
    opts.warn(`rule cache: ignoring corrupt entry ${file} (${(err as Error).message}); building the bank anew`);
    return undefined;
  }
}

function decodeEntry(bytes: Buffer, key: string, read: ReadRules): CachedLoad {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a rule cache entry');
  const jsonBytes = bytes.readUInt32LE(4);
  const arrayBytes = bytes.readUInt32LE(8);
  const arraysAt = align8(HEADER_BYTES + jsonBytes);
  if (bytes.length !== arraysAt + arrayBytes) throw new Error(`${bytes.length} bytes where the header says ${arraysAt + arrayBytes}`);
  // ASCII (encodeEntry escapes the rest): read as latin1, a copy, into a one-byte string that
  // JSON.parse reads faster than the two-byte string a few non-ASCII characters made of UTF-8.
  const entry = JSON.parse(bytes.toString('latin1', HEADER_BYTES, HEADER_BYTES + jsonBytes)) as Partial<Entry>;
  if (entry.format !== CACHE_FORMAT || entry.key !== key || !isEntry(entry)) throw new Error('not an entry for these rules');
  const arrays = bytes.subarray(arraysAt);
  const texts = new Map<string, string>();
  for (const f of read.files) if ('text' in f) texts.set(f.file, f.text);
  const rules = entry.rules.map((r): Rule => {
    const text = texts.get(r.file);
    if (text === undefined) throw new Error(`rule ${r.id}: its file ${r.file} is not among those read`);
    return withLazyRecord(r, text);
  });
  const index = entry.index === null ? null : (revive(entry.index, arrays) as IndexTables);
  const foldTable = revive(entry.foldTable, arrays);
  if (!(foldTable instanceof Uint16Array)) throw new Error('no case-fold table');
  return { rules, problems: entry.problems, skipped: entry.skipped, plan: entry.plan, version: entry.version, index, foldTable };
}

/**
 * The rule with its `record` parsed from the file's text when first read: it is the file's own
 * JSON, which parsed when the entry was made from this very text (the key hashes it), and little
 * reads it (the rules version, which the entry carries, and tests). Parsing all 2,500 at start
 * was ~30-60 ms. An ordinary enumerable property once read, so spreads, clones and
 * JSON.stringify see the record as before.
 */
function withLazyRecord(rule: Omit<Rule, 'record'>, text: string): Rule {
  const define = (value: Record<string, unknown>): Record<string, unknown> => {
    Object.defineProperty(rule, 'record', { value, enumerable: true, configurable: true, writable: true });
    return value;
  };
  Object.defineProperty(rule, 'record', {
    enumerable: true,
    configurable: true,
    get(): Record<string, unknown> {
      const parsed = parseJsonText(text);
      if (!parsed.ok) throw new Error(`rule ${rule.id}: its file ${rule.file} no longer parses: ${parsed.message}`);
      return define(parsed.value as Record<string, unknown>);
    },
    set: define,
  });
  return rule as Rule;
}

/**
 * Puts the typed arrays back where the JSON names them (copied: aligned, and the file's buffer
 * can go). In place: the parsed JSON is ours, and copying its ~100,000 nodes was ~30 ms of a start.
 */
function revive(value: unknown, arrays: Buffer): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) value[i] = revive(v, arrays);
    }
    return value;
  }
  const ref = value as Partial<ArrayRef>;
  if (ref.$array !== undefined) {
    const width = ref.$array === 'u16' ? 2 : 4;
    const at = Number(ref.at);
    const length = Number(ref.length);
    if (!Number.isInteger(at) || !Number.isInteger(length) || at < 0 || length < 0 || at + length * width > arrays.length) {
      throw new Error('an array lies outside the entry');
    }
    const copy = arrays.buffer.slice(arrays.byteOffset + at, arrays.byteOffset + at + length * width);
    return ref.$array === 'u16' ? new Uint16Array(copy) : new Int32Array(copy);
  }
  const out = value as Record<string, unknown>;
  for (const k of Object.keys(out)) {
    const v = out[k];
    if (typeof v === 'object' && v !== null) out[k] = revive(v, arrays);
  }
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The entry's bytes: header, JSON with typed arrays replaced by references, the arrays. */
function encodeEntry(entry: Entry): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  const json = JSON.stringify(entry, (_key, value: unknown) => {
    if (!(value instanceof Uint16Array) && !(value instanceof Int32Array)) return value;
    const ref: ArrayRef = { $array: value instanceof Uint16Array ? 'u16' : 'i32', at: size, length: value.length };
    const raw = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const padded = align8(raw.length);
    chunks.push(raw, Buffer.alloc(padded - raw.length));
    size += padded;
    return ref;
  });
  const jsonBytes = Buffer.from(asciiJson(json), 'latin1');
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(jsonBytes.length, 4);
  header.writeUInt32LE(size, 8);
  const pad = Buffer.alloc(align8(HEADER_BYTES + jsonBytes.length) - HEADER_BYTES - jsonBytes.length);
  return Buffer.concat([header, jsonBytes, pad, ...chunks]);
}

/**
 * The same JSON in ASCII: every character above U+007E as a \\u escape (rule texts have a few
 * thousand). Reading it back as latin1 then costs a copy instead of a UTF-8 decode, and parsing
 * the one-byte string measured ~25 % faster (~10 ms of a 3.3 MB entry).
 */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isEntry(e: Partial<Entry>): e is Entry {
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
    typeof plan.options === 'object' &&
    typeof e.index === 'object' &&
    typeof e.foldTable === 'object'
  );
}

/** Stores an entry; a cache that cannot be written is said once per call and otherwise ignored. */
export function writeCached(opts: BankCacheOptions, key: string, load: CachedLoad): void {
  const file = entryPath(opts.dir, key);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const rules = load.rules.map(({ record: _record, ...rest }) => rest);
  // With the index stored, the prefilter units it was built from are never read again (a
  // third of the entry's JSON at 2,500 rules).
  const plan: BankPlan =
    load.index === null
      ? load.plan
      : { ...load.plan, patterns: load.plan.patterns.map((p) => (p.route.kind === 'prefilter' ? { ...p, route: { kind: 'prefilter', units: [] } } : p)) };
  const entry: Entry = { format: CACHE_FORMAT, key, ...load, rules, plan };
  try {
    mkdirSync(opts.dir, { recursive: true });
    writeFileSync(temp, encodeEntry(entry));
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
      .filter((n) => /^bank-[0-9a-f]{32}\.(bin|json)$/.test(n))
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
