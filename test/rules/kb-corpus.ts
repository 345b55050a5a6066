/** The repository's knowledge base and the texts the KB gate runs through it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { REPO_RULES_DIR } from '../../src/cli/rules-test.js';
import { resolveConfig } from '../../src/config/config.js';
import { createDecoder } from '../../src/decode/decode-record.js';
import { loadRules } from '../../src/kb/load.js';
import type { LoadResult, Rule } from '../../src/kb/types.js';
import { decodeOptionsFrom } from '../../src/pipeline/decode-options.js';
import { RecordReader } from '../../src/source/record-reader.js';
import { REPO_ROOT, SHARED_DIR } from '../kb/rule-files.js';

export { REPO_ROOT, REPO_RULES_DIR };

export const LOGHUB_DIR = path.join(SHARED_DIR, 'data/loghub');
export const LOGHUB_MISSING = existsSync(LOGHUB_DIR)
  ? undefined
  : `skipped: ${LOGHUB_DIR} is absent (a fresh clone has no ../shared): no rule was checked against real background logs`;

export function loadRepoRules(): Promise<LoadResult> {
  return loadRules([REPO_RULES_DIR]);
}

/** The rule's path under rules/, without `.json`: what its id must be. */
export function idFromPath(rule: Rule): string {
  return path.relative(REPO_RULES_DIR, rule.file).replace(/\.json$/, '').split(path.sep).join('/');
}

export type TextKind = 'match' | 'no_match' | 'signature';

export interface KbText {
  ruleId: string;
  kind: TextKind;
  /** Index in the rule's examples of that kind (0 for the signature). */
  index: number;
  text: string;
}

/** Every example of every rule, and each rule's `signature` (the seed's only text). */
export function kbTexts(rules: readonly Rule[]): KbText[] {
  const texts: KbText[] = [];
  for (const rule of rules) {
    rule.examples?.match.forEach((e, index) => texts.push({ ruleId: rule.id, kind: 'match', index, text: e.text }));
    rule.examples?.no_match.forEach((e, index) => texts.push({ ruleId: rule.id, kind: 'no_match', index, text: e.text }));
    const signature = rule.record.signature;
    if (typeof signature === 'string' && signature !== '') texts.push({ ruleId: rule.id, kind: 'signature', index: 0, text: signature });
  }
  return texts;
}

export function describeText(t: KbText): string {
  const shown = t.text.length > 160 ? `${t.text.slice(0, 160)}…` : t.text;
  return `${t.ruleId} ${t.kind}${t.kind === 'signature' ? '' : `[${t.index}]`}: ${JSON.stringify(shown)}`;
}

/** A record as `faultline scan` hands it to the bank. */
export interface ScanRecord {
  /** First line of the record (1-based) and lines spanned. */
  line: number;
  lines: number;
  /** The decoded text the bank matches ('' when the decoder finds none). */
  text: string;
}

export interface ScanRead {
  records: ScanRecord[];
  /** Lines read, blank ones included. */
  lines: number;
}

/** What `faultline scan` hands the bank: its RecordReader and decoder, with its defaults. */
export class ScanPipeline {
  /** scan's configuration with every default. */
  readonly config = resolveConfig('scan', {});
  private readonly decode = createDecoder(decodeOptionsFrom(this.config));

  /** A file read as scan reads it; `multiline: false` gives one record per non-blank line. */
  async readFile(file: string, multiline = true): Promise<ScanRead> {
    return this.read(await RecordReader.open(file, { maxRecordBytes: this.config.maxRecordBytes, multiline }));
  }

  /** A text (an example) read as scan would read it from a file holding it. */
  async readText(text: string): Promise<ScanRead> {
    const stream = Readable.from([Buffer.from(text, 'utf8')]);
    return this.read(RecordReader.fromStream(stream, 'example', { maxRecordBytes: this.config.maxRecordBytes }));
  }

  private async read(reader: RecordReader): Promise<ScanRead> {
    const records: ScanRecord[] = [];
    try {
      for await (const rec of reader) records.push({ line: rec.line, lines: rec.lines, text: this.decode(rec.text).text });
    } finally {
      reader.source.close();
    }
    return { records, lines: reader.source.linesRead };
  }
}
