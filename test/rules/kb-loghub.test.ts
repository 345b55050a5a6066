/**
 * False positives: no rule of rules/ may fire on real logs of systems that had none of the KB's
 * failures (loghub: 16 systems x 2,000 lines, in ../shared/data/loghub; a fresh clone has no
 * ../shared, and then this file is skipped, saying so). Each file is read as `faultline scan`
 * reads it (its RecordReader, LineJoiner, decoder and defaults), and also line by line, as a
 * stream without multi-line joining hands the bank single lines.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMatcher } from '../../src/cli/rules-test.js';
import type { ExampleMatcher } from '../../src/cli/rules-test.js';
import { LOGHUB_DIR, LOGHUB_MISSING, ScanPipeline, loadRepoRules } from './kb-corpus.js';
import type { ScanRead, ScanRecord } from './kb-corpus.js';

/** The samples are `{System}_2k.log`: 2,000 lines each. */
const LINES_PER_FILE = 2000;
const MIN_FILES = 16;
const SHOWN_CHARS = 200;

interface LogFile {
  name: string;
  joined: ScanRead;
  single: ScanRead;
}

describe.skipIf(LOGHUB_MISSING)(LOGHUB_MISSING ?? 'rules/ on real background logs (../shared/data/loghub)', () => {
  let matcher: ExampleMatcher | undefined;
  let files: LogFile[];

  beforeAll(async () => {
    matcher = bankMatcher((await loadRepoRules()).rules);
    const scan = new ScanPipeline();
    const names = readdirSync(LOGHUB_DIR).filter((name) => name.endsWith('.log')).sort();
    files = [];
    for (const name of names) {
      const file = path.join(LOGHUB_DIR, name);
      files.push({ name, joined: await scan.readFile(file), single: await scan.readFile(file, false) });
    }
  });
  afterAll(() => matcher?.close());

  /** "rule-id fires on File.log:12: text", for each rule matching the record. */
  function offences(file: string, rec: ScanRecord): string[] {
    if (rec.text === '' || matcher === undefined) return [];
    const where = rec.lines === 1 ? String(rec.line) : `${rec.line}-${rec.line + rec.lines - 1}`;
    const shown = JSON.stringify(rec.text.length > SHOWN_CHARS ? `${rec.text.slice(0, SHOWN_CHARS)}…` : rec.text);
    return matcher.matchingIds(rec.text).map((id) => `${id} fires on ${file}:${where}: ${shown}`);
  }

  it(`reads every sample whole (≥ ${MIN_FILES} files of ${LINES_PER_FILE} lines)`, () => {
    expect(files.length).toBeGreaterThanOrEqual(MIN_FILES);
    const short = files.filter((f) => f.joined.lines !== LINES_PER_FILE || f.single.lines !== LINES_PER_FILE);
    expect(short.map((f) => `${f.name}: ${f.joined.lines} lines`)).toEqual([]);
    // Joining happened (stack traces, continuation lines) yet every line stayed in some record.
    for (const f of files) {
      expect(f.joined.records.length).toBeGreaterThan(0);
      expect(f.joined.records.length).toBeLessThanOrEqual(f.single.records.length);
    }
  });

  it('fires no rule on any record, lines joined as scan joins them', () => {
    expect(files.flatMap((f) => f.joined.records.flatMap((rec) => offences(f.name, rec)))).toEqual([]);
  });

  it('fires no rule on any single line', () => {
    expect(files.flatMap((f) => f.single.records.flatMap((rec) => offences(f.name, rec)))).toEqual([]);
  });
});
