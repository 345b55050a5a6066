/**
 * Runs holdout texts through what `faultline scan` does to a line of a file — its RecordReader
 * (multi-line joining), its decoder with scan's defaults, the compiled bank — and says which
 * signals the rules give each entry. Pure apart from reading the rules directory.
 */
import { Readable } from 'node:stream';
import { resolveConfig } from '../../src/config/config.js';
import { createDecoder } from '../../src/decode/decode-record.js';
import { loadRules } from '../../src/kb/load.js';
import { SIGNALS, type Rule, type RuleProblem, type Signal } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import { matchRecordText } from '../../src/match/record-text.js';
import type { MatcherBank } from '../../src/match/types.js';
import { decodeOptionsFrom } from '../../src/pipeline/decode-options.js';
import { RecordReader } from '../../src/source/record-reader.js';
import type { HoldoutEntry } from './entries.js';
import { normaliseText } from './entries.js';

export interface LoadedBank {
  bank: MatcherBank;
  rules: readonly Rule[];
  /** Rules that did not load or compile; the rest are measured (as scan would, non-strict). */
  problems: RuleProblem[];
}

export async function loadBank(rulesDir: string): Promise<LoadedBank> {
  const loaded = await loadRules([rulesDir]);
  const built = buildBank(loaded.rules);
  return { bank: built.bank, rules: built.bank.rules, problems: [...loaded.problems, ...built.problems] };
}

/** scan's decoding of a text, record by record, as if the text were a file of its own. */
export class ScanPath {
  private readonly config = resolveConfig('scan', {});
  private readonly decode = createDecoder(decodeOptionsFrom(this.config));

  async records(text: string): Promise<string[]> {
    const reader = RecordReader.fromStream(Readable.from([Buffer.from(text, 'utf8')]), 'holdout', {
      maxRecordBytes: this.config.maxRecordBytes,
    });
    const out: string[] = [];
    try {
      for await (const batch of reader.batches()) for (const rec of batch) out.push(this.decode(rec.text).text);
    } finally {
      reader.source.close();
    }
    return out;
  }
}

export interface EntryResult {
  entry: HoldoutEntry;
  /** Union of the signals of every rule matching any record of the text. */
  got: Signal[];
  /** Ids of the rules that matched. */
  ruleIds: string[];
  /** Every expected signal was given (for a negative: no signal at all). */
  pass: boolean;
}

export async function measureEntries(entries: readonly HoldoutEntry[], loaded: LoadedBank, scan = new ScanPath()): Promise<EntryResult[]> {
  const results: EntryResult[] = [];
  for (const entry of entries) {
    const got = new Set<Signal>();
    const ruleIds = new Set<string>();
    for (const text of await scan.records(entry.text)) {
      if (text === '') continue;
      for (const m of matchRecordText(loaded.bank, text)) {
        const rule = loaded.rules[m.rule];
        if (rule === undefined) continue;
        ruleIds.add(rule.id);
        for (const s of rule.signals) got.add(s);
      }
    }
    const signals = SIGNALS.filter((s) => got.has(s));
    const pass = entry.signals.length === 0 ? signals.length === 0 : entry.signals.every((s) => got.has(s));
    results.push({ entry, got: signals, ruleIds: [...ruleIds].sort(), pass });
  }
  return results;
}

/** Lower-cased URL without scheme, `www.`, fragment and trailing slash: one thread, however cited. */
export function normaliseSource(url: string): string {
  return url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/#.*$/, '').replace(/\/+$/, '');
}

/**
 * Holdout entries that no longer measure rules written without them: the text appears verbatim
 * in an example (or signature) of the rules, or the entry's source is a source the rules' examples
 * cite (the rule's author read that thread). Texts shorter than `minContained` only count when
 * equal, so that a common phrase does not make everything overlap. An example that is a part of a
 * holdout text does not count: a rule written from a library's format string matches every real
 * line that prints it, which is what the holdout is there to measure. Returns id → reason.
 */
export function overlapsWithRules(entries: readonly HoldoutEntry[], rules: readonly Rule[], minContained = 24): Map<string, string> {
  const examples: { rule: string; text: string }[] = [];
  const sources = new Map<string, string>();
  for (const rule of rules) {
    for (const e of [...(rule.examples?.match ?? []), ...(rule.examples?.no_match ?? [])]) {
      examples.push({ rule: rule.id, text: normaliseText(e.text) });
      if (e.source !== undefined) sources.set(normaliseSource(e.source), rule.id);
    }
    const signature = rule.record.signature;
    if (typeof signature === 'string' && signature !== '') examples.push({ rule: rule.id, text: normaliseText(signature) });
  }
  const found = new Map<string, string>();
  for (const entry of entries) {
    const t = normaliseText(entry.text);
    const ex = examples.find((x) => x.text === t || (t.length >= minContained && x.text.includes(t)));
    if (ex !== undefined) {
      found.set(entry.id, `text in an example of ${ex.rule}`);
      continue;
    }
    const cited = sources.get(normaliseSource(entry.source));
    if (cited !== undefined) found.set(entry.id, `source cited by ${cited}`);
  }
  return found;
}
