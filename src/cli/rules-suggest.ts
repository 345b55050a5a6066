/**
 * `faultline rules suggest`: a draft rule from a template. The template is named by its id from
 * `scan --templates` (with the same files: ids are stable for the same input) or from a worker's
 * /templates (a URL), or given as a message text. The draft goes to stdout (or `--out`), ready
 * for `rules check` and `rules test` once its TODO fields are filled.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config/config.js';
import { createDecoder } from '../decode/decode-record.js';
import { decodeOptionsFrom } from '../pipeline/decode-options.js';
import { RecordReader } from '../source/record-reader.js';
import { maskToken } from '../templates/mask.js';
import { TemplateMiner } from '../templates/miner.js';
import { SuggestError, suggestRule } from '../templates/suggest-rule.js';
import { tokenize } from '../templates/tokenize.js';
import { firstLine } from '../templates/unknown-errors.js';
import { DEFAULT_MINER_OPTIONS } from '../templates/miner.js';
import type { CliIo } from './rules-check.js';

export interface RulesSuggestOptions {
  config: Pick<Config, 'maxRecordBytes' | 'messageFields' | 'errorFields' | 'serviceFields'>;
  /** A message text, when no template id is given. */
  text?: string;
  template?: string;
  /** Log files (as given to scan) or a worker's /templates URL. */
  from: string[];
  id?: string;
  out?: string;
  /** Examples kept from the input. */
  maxExamples?: number;
}

interface Found {
  tokens: string[];
  examples: { text: string; source?: string }[];
}

export async function runRulesSuggest(opts: RulesSuggestOptions, io: CliIo): Promise<number> {
  let found: Found | undefined;
  try {
    if (opts.template !== undefined) {
      if (opts.from.length === 0) throw new SuggestError('--template needs --from: the log files scan read, or a worker /templates URL');
      const url = opts.from.find((f) => /^https?:\/\//.test(f));
      found = url !== undefined ? await fromWorker(url, opts.template) : await fromFiles(opts, opts.template);
      if (found === undefined) throw new SuggestError(`template ${opts.template} not found in ${opts.from.join(', ')}`);
    } else if (opts.text !== undefined && opts.text.trim() !== '') {
      const text = firstLine(opts.text.trim());
      found = { tokens: tokenize(text, DEFAULT_MINER_OPTIONS.maxTokens).map(maskToken), examples: [{ text }] };
    } else {
      throw new SuggestError('give a template id (--template with --from) or a message text');
    }
    const rule = suggestRule({ tokens: found.tokens, examples: found.examples, ...(opts.id !== undefined ? { id: opts.id } : {}) });
    const json = `${JSON.stringify(rule, null, 2)}\n`;
    if (opts.out !== undefined) {
      await writeFile(opts.out, json);
      io.stderr.write(`faultline rules suggest: wrote ${opts.out}; fill its TODO fields, then: faultline rules check && faultline rules test\n`);
    } else io.stdout.write(json);
    return 0;
  } catch (err) {
    if (!(err instanceof SuggestError) && !(err instanceof Error && 'code' in err)) throw err;
    io.stderr.write(`faultline rules suggest: ${(err as Error).message}\n`);
    return 2;
  }
}

/** Mines the files exactly as `scan --templates` does, so that ids agree. */
async function fromFiles(opts: RulesSuggestOptions, id: string): Promise<Found | undefined> {
  const miner = new TemplateMiner();
  const decode = createDecoder(decodeOptionsFrom(opts.config));
  const examples: { text: string; source: string }[] = [];
  const max = opts.maxExamples ?? 5;
  for (const file of opts.from) {
    const reader = await RecordReader.open(file, { maxRecordBytes: opts.config.maxRecordBytes });
    try {
      for await (const records of reader.batches()) {
        for (const rec of records) {
          const text = firstLine(decode(rec.text).text);
          const t = miner.add(text);
          if (t.id === id && examples.length < max && !examples.some((e) => e.text === text)) examples.push({ text, source: `${pathToFileURL(resolve(file)).href}#L${rec.line}` });
        }
      }
    } finally {
      reader.source.close();
    }
  }
  const t = miner.get(id);
  return t === undefined || examples.length === 0 ? undefined : { tokens: [...t.tokens], examples };
}

/** A worker's /templates: the template's example is the one message the worker kept. */
async function fromWorker(url: string, id: string): Promise<Found | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new SuggestError(`${url}: HTTP ${res.status}`);
  const body = (await res.json()) as { templates?: { id: string; pattern?: string; example?: { text?: string } }[] };
  const t = body.templates?.find((x) => x.id === id);
  const text = t?.example?.text;
  if (t === undefined || text === undefined) return undefined;
  const line = firstLine(text);
  const shape = tokenize(line, DEFAULT_MINER_OPTIONS.maxTokens);
  // The pattern is the template's tokens joined by spaces (tokens hold none), as the worker mined them.
  const fromPattern = t.pattern?.split(' ');
  const tokens = fromPattern !== undefined && fromPattern.length === shape.length ? fromPattern : shape.map(maskToken);
  return { tokens, examples: [{ text: line, source: `${url}#${id}` }] };
}
