/**
 * The KB holdout (test/kb-holdout/): real messages copied verbatim from public sources, each
 * with its source URL and the signals a correct KB must give it. Positives carry one or more
 * signals, hard negatives none. This module reads the two JSONL files and says, entry by entry,
 * what is wrong with them; it never looks at rules/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIGNALS, type Signal } from '../../src/kb/types.js';

export const DEFAULT_HOLDOUT_DIR = fileURLToPath(new URL('../../test/kb-holdout/', import.meta.url));
export const POSITIVES_FILE = 'positives.jsonl';
export const NEGATIVES_FILE = 'negatives.jsonl';

export type EntryKind = 'positive' | 'negative';

export interface HoldoutEntry {
  /** `pos-NNNN` or `neg-NNNN`, stable once written. */
  id: string;
  /** The message as printed; several lines when it was pasted that way (a stack trace's head). */
  text: string;
  /** Where it was seen (http(s) URL). */
  source: string;
  /** Expected signals; empty for a hard negative. */
  signals: Signal[];
  /** Runtime or layer whose code printed it: java, dotnet, go, node, python, proxy, linux, … */
  ecosystem: string;
  /** Library, server or runtime component that printed it. */
  library: string;
  /** The search query that found it. */
  how_found: string;
  /** BCP 47 tag of a localized (non-English) message. */
  locale?: string;
  /** The collection it came from (3, 4, …); absent for the first two, measured together as "old". */
  batch?: number;
}

/**
 * The batches to measure: a collection's number, several (`3,4,5`: the sealed test set measured
 * as one, so its figures are not summed by hand), or `old` for the entries without one.
 */
export type BatchSelector = number | readonly number[] | 'old';

/** Parses `--batch`: a positive integer, a comma-separated list of them, or `old`; undefined otherwise. */
export function parseBatch(value: string): BatchSelector | undefined {
  if (value === 'old') return 'old';
  if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(value)) return undefined;
  const numbers = [...new Set(value.split(',').map(Number))];
  return numbers.length === 1 ? numbers[0] : numbers;
}

/** Whether `entry` belongs to the batch(es) `selector` names. */
export function inBatch(entry: HoldoutEntry, selector: BatchSelector): boolean {
  if (selector === 'old') return entry.batch === undefined;
  if (typeof selector === 'number') return entry.batch === selector;
  return entry.batch !== undefined && selector.includes(entry.batch);
}

/** How a report names the selection: `3`, `3+4+5` or `old`. */
export function batchLabel(selector: BatchSelector): string {
  return typeof selector === 'object' ? selector.join('+') : String(selector);
}

const FIELDS = ['id', 'text', 'source', 'signals', 'ecosystem', 'library', 'how_found', 'locale', 'batch'] as const;
const REQUIRED_STRINGS = ['id', 'text', 'source', 'ecosystem', 'library', 'how_found'] as const;
const ID_PATTERN: Record<EntryKind, RegExp> = { positive: /^pos-\d{4}$/, negative: /^neg-\d{4}$/ };
const ECOSYSTEM_PATTERN = /^[a-z][a-z0-9+-]*$/;
const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export interface EntryProblem {
  file: string;
  /** 1-based line in the file. */
  line: number;
  id?: string;
  message: string;
}

export interface Holdout {
  positives: HoldoutEntry[];
  negatives: HoldoutEntry[];
  problems: EntryProblem[];
}

/** Whitespace-insensitive form of a text, for duplicate and overlap checks. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The problems of one parsed line (empty when it is a well-formed entry of `kind`). */
export function entryProblems(value: unknown, kind: EntryKind): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not a JSON object'];
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(o)) if (!(FIELDS as readonly string[]).includes(key)) problems.push(`unknown field "${key}"`);
  for (const key of REQUIRED_STRINGS) {
    if (typeof o[key] !== 'string' || (o[key] as string).trim() === '') problems.push(`"${key}" must be a non-empty string`);
  }
  if (typeof o.id === 'string' && !ID_PATTERN[kind].test(o.id)) problems.push(`"id" ${JSON.stringify(o.id)} does not look like ${ID_PATTERN[kind].source}`);
  if (typeof o.source === 'string' && !isHttpUrl(o.source)) problems.push(`"source" ${JSON.stringify(o.source)} is not an http(s) URL`);
  if (typeof o.ecosystem === 'string' && !ECOSYSTEM_PATTERN.test(o.ecosystem)) problems.push(`"ecosystem" ${JSON.stringify(o.ecosystem)} is not a lower-case name`);
  if (o.locale !== undefined && (typeof o.locale !== 'string' || !LOCALE_PATTERN.test(o.locale))) problems.push(`"locale" must be a tag like "zh-CN"`);
  if (o.batch !== undefined && !(typeof o.batch === 'number' && Number.isInteger(o.batch) && o.batch > 0)) problems.push('"batch" must be a positive integer');
  if (!Array.isArray(o.signals)) {
    problems.push('"signals" must be an array');
  } else {
    for (const s of o.signals) if (!(SIGNALS as readonly unknown[]).includes(s)) problems.push(`signal ${JSON.stringify(s)} is not one of ${SIGNALS.join(', ')}`);
    if (new Set(o.signals).size !== o.signals.length) problems.push('"signals" lists a signal twice');
    if (kind === 'positive' && o.signals.length === 0) problems.push('a positive needs at least one signal');
    if (kind === 'negative' && o.signals.length > 0) problems.push('a hard negative has no signals');
  }
  return problems;
}

async function readEntries(file: string, kind: EntryKind, problems: EntryProblem[]): Promise<HoldoutEntry[]> {
  const entries: HoldoutEntry[] = [];
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw) as unknown;
    } catch (err) {
      problems.push({ file, line: i + 1, message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    const found = entryProblems(value, kind);
    const id = typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;
    for (const message of found) problems.push({ file, line: i + 1, ...(id === undefined ? {} : { id }), message });
    if (found.length === 0) entries.push(value as HoldoutEntry);
  });
  return entries;
}

/** Both files of a holdout directory, with every problem found (ids and texts must be unique across both). */
export async function loadHoldout(dir: string = DEFAULT_HOLDOUT_DIR): Promise<Holdout> {
  const problems: EntryProblem[] = [];
  const positives = await readEntries(path.join(dir, POSITIVES_FILE), 'positive', problems);
  const negatives = await readEntries(path.join(dir, NEGATIVES_FILE), 'negative', problems);
  const ids = new Map<string, string>();
  const texts = new Map<string, string>();
  for (const e of [...positives, ...negatives]) {
    const where = ids.get(e.id);
    if (where !== undefined) problems.push({ file: dir, line: 0, id: e.id, message: `id used twice` });
    ids.set(e.id, e.id);
    const key = normaliseText(e.text);
    const first = texts.get(key);
    if (first !== undefined) problems.push({ file: dir, line: 0, id: e.id, message: `same text as ${first}` });
    else texts.set(key, e.id);
  }
  return { positives, negatives, problems };
}
