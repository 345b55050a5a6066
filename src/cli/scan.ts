/**
 * `faultline scan`: the matching core over files or stdin, offline. Plain-text lines are joined
 * into records (stack traces with the line above them), every record is decoded, matched and
 * tagged exactly as the worker does it, and matched records are printed as NDJSON on stdout.
 */
import type { Config } from '../config/config.js';
import { createDecoder } from '../decode/decode-record.js';
import { problemLine } from '../kb/problem-text.js';
import { matchRecordText } from '../match/record-text.js';
import type { MatcherBank } from '../match/types.js';
import { decodeOptionsFrom } from '../pipeline/decode-options.js';
import { NOOP_OBSERVER } from '../pipeline/observer.js';
import { bankCacheFrom } from '../ruleset/bank-cache.js';
import { loadBank, RulesUnusableError } from '../ruleset/load-bank.js';
import { STDIN_PATH } from '../source/line-source.js';
import { RecordReader } from '../source/record-reader.js';
import { taggedEventJson } from '../tag/event-json.js';
import { fileSource, tagEvent } from '../tag/tag-event.js';
import type { CliIo } from './rules-check.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { ScanProgress } from './scan-progress.js';
import { ScanSummary } from './scan-summary.js';
import { ScanTemplates } from './scan-templates.js';

export interface ScanOptions {
  config: Config;
  files: string[];
  all: boolean;
  progress: boolean;
  failOnMatch: boolean;
  /** Mine templates: every printed event carries its template; the summary lists unknown errors. */
  templates?: boolean;
  stdin?: NodeJS.ReadableStream;
}

export interface ScanIo extends CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Exit codes: 0 done, 1 matched with --fail-on-match, 2 unusable rules or unreadable input. */
export async function runScan(opts: ScanOptions, io: ScanIo): Promise<number> {
  const bank = await loadBankForScan(opts.config, io);
  if (bank === undefined) return 2;
  const summary = new ScanSummary();
  const out = new NdjsonWriter(io.stdout);
  const decode = createDecoder(decodeOptionsFrom(opts.config));
  const files = opts.files.length > 0 ? opts.files : [STDIN_PATH];
  const templates = opts.templates === true ? new ScanTemplates() : undefined;
  let failed = false;
  try {
    for (const file of files) {
      if (out.closed) break;
      let reader: RecordReader;
      try {
        reader = await RecordReader.open(file, { maxRecordBytes: opts.config.maxRecordBytes });
      } catch (err) {
        io.stderr.write(`faultline scan: ${file}: ${(err as Error).message}\n`);
        failed = true;
        continue;
      }
      const source = reader.source;
      const progress = ScanProgress.maybe(opts.progress, io.stderr, file, source.size);
      try {
        for await (const records of reader.batches()) {
          for (const rec of records) {
            summary.records++;
            const decoded = decode(rec.text);
            for (const issue of decoded.issues) summary.addIssue(issue);
            const matches = decoded.text === '' ? [] : matchRecordText(bank, decoded.text);
            const template = templates?.add(decoded.text, decoded.event, matches.length > 0, `${file}:${rec.line}`);
            if (matches.length === 0 && !opts.all) continue;
            const event = tagEvent(decoded, matches, bank.rules, fileSource(file, rec.line, rec.lines));
            if (template !== undefined) event.faultline.template = template;
            if (matches.length > 0) summary.addMatch(event.faultline.matches.map((m) => m.id), event.faultline.signals);
            // The worker's serialiser: each rule's part of the JSON is made once, not per event.
            out.writeJson(taggedEventJson(decoded.event, event.faultline));
          }
          progress?.update(source.bytesRead);
          await out.drained();
          if (out.closed) break;
        }
      } catch (err) {
        io.stderr.write(`faultline scan: ${file}: ${(err as Error).message}\n`);
        failed = true;
      } finally {
        summary.bytes += source.bytesRead;
        progress?.stop();
        source.close();
      }
    }
    await out.end();
  } finally {
    bank.close();
  }
  io.stderr.write(summary.render());
  if (templates !== undefined) io.stderr.write(templates.render());
  if (failed) return 2;
  return opts.failOnMatch && summary.matched > 0 ? 1 : 0;
}

/**
 * The worker's loader (src/ruleset/load-bank.ts): the same files, the same acceptance policy
 * (src/kb/rules-policy.ts), the same bank. Problems of skipped rules are listed on stderr.
 */
async function loadBankForScan(config: Config, io: CliIo): Promise<MatcherBank | undefined> {
  try {
    const cache = bankCacheFrom(config.cacheDir, (message) => io.stderr.write(`faultline scan: ${message}\n`));
    const loaded = await loadBank({ dirs: config.rules, strict: config.strictRules, cache }, NOOP_OBSERVER);
    for (const p of loaded.problems) io.stderr.write(`faultline scan: skipped rule: ${problemLine(p)}\n`);
    return loaded.bank;
  } catch (err) {
    if (!(err instanceof RulesUnusableError)) throw err;
    for (const p of err.problems) io.stderr.write(`faultline scan: skipped rule: ${problemLine(p)}\n`);
    io.stderr.write(`faultline scan: rules refused: ${err.message}\n`);
    return undefined;
  }
}
