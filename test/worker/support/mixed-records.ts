// The input of the worker's end-to-end tests: plain and JSON log records, some multi-line, about
// 1 % carrying a real error signature (a rule's own example), and poison (too large, binary).
// Every record knows what the worker must make of it, computed here without the worker's code:
// the matched text is known by construction and each rule's regexes are run on it one by one.
import { createHash } from 'node:crypto';
import RE2 from 're2';
import type { Rule } from '../../../src/kb/types.js';
import { Random } from '../../../src/demo/random.js';
import { recordViews } from '../../../src/match/record-text.js';

export type Expected =
  | { kind: 'matched'; ruleIds: string[]; service?: string }
  | { kind: 'unmatched' }
  | { kind: 'dead'; reason: 'too-large' | 'binary' };

export interface MixedRecord {
  /** Index in generation order. */
  rid: number;
  key: string;
  value: Buffer;
  expected: Expected;
}

export interface MixOptions {
  count: number;
  seed: number;
  /** Records above this are poison; the worker must run with the same FAULTLINE_MAX_RECORD_BYTES. */
  maxRecordBytes: number;
  signatureShare?: number;
  tooLargeShare?: number;
  binaryShare?: number;
  /** Distinct record keys (records of one key keep their order). */
  keys?: number;
}

/** Bytes kcat splits messages and keys on (see kcat-io.ts); generated values never contain them. */
export const FORBIDDEN_BYTES: ReadonlySet<number> = new Set([0x1e, 0x1f]);

export function mulberry32(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/**
 * Which rules match `text`, testing every regex of every rule on its own (no bank, no prefilter),
 * and its guards.
 * Like the worker, a record is also tried in its views (line breaks joined, escapes undone:
 * src/match/record-text.ts `recordViews`): the views are shared with the worker, the matching —
 * every regex of every rule on its own against each view — is not.
 */
export function makeOracle(rules: readonly Rule[]): (text: string) => string[] {
  const compiled = rules.map((r) => ({
    id: r.id,
    res: r.patterns.map((p) => new RE2(p.regex, 'u')),
    // A rule's `unless` guards silence it on a text they match too (docs/rule-format.md).
    guards: (r.unless ?? []).map((g) => new RE2(g.regex, 'u')),
  }));
  const hit = (r: (typeof compiled)[number], v: string) => r.res.some((re) => re.test(v)) && !r.guards.some((g) => g.test(v));
  return (text) => {
    const views = [text, ...recordViews(text).map((v) => v.text)];
    return compiled.filter((r) => views.some((v) => hit(r, v))).map((r) => r.id);
  };
}

const WORDS = ['cart', 'order', 'invoice', 'user', 'session', 'catalog', 'report', 'export', 'search', 'profile'];
const VERBS = ['loaded', 'saved', 'rendered', 'queued', 'updated', 'archived', 'indexed', 'shipped'];

export function generateMixedRecords(opts: MixOptions, rules: readonly Rule[]): MixedRecord[] {
  const rnd = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const oracle = makeOracle(rules);
  const examples = rules.flatMap((r) => (r.examples?.match ?? []).map((e) => e.text));
  if (examples.length === 0) throw new Error('no rule examples to take signatures from');
  const keys = opts.keys ?? 40;
  const sigShare = opts.signatureShare ?? 0.01;
  const largeShare = opts.tooLargeShare ?? 0.005;
  const binShare = opts.binaryShare ?? 0.005;
  const out: MixedRecord[] = [];

  for (let rid = 0; rid < opts.count; rid++) {
    const key = `svc-${rid % keys}`;
    const service = `svc-${rid % keys}`;
    const roll = rnd();
    if (roll < largeShare) {
      const size = opts.maxRecordBytes + 1 + Math.floor(rnd() * opts.maxRecordBytes);
      const line = `rid=${rid} ${'payload '.repeat(Math.ceil(size / 8))}`.slice(0, size);
      out.push({ rid, key, value: Buffer.from(line), expected: { kind: 'dead', reason: 'too-large' } });
      continue;
    }
    if (roll < largeShare + binShare) {
      const bytes = Buffer.alloc(64 + Math.floor(rnd() * 512));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 9); // 0x00-0x08: control bytes
      bytes.write(`#${rid}#`, 0, 'latin1'); // unique, still mostly control bytes
      out.push({ rid, key, value: bytes, expected: { kind: 'dead', reason: 'binary' } });
      continue;
    }
    const signature = roll < largeShare + binShare + sigShare ? pick(examples) : undefined;
    const benign = `rid=${rid} ${pick(WORDS)} ${Math.floor(rnd() * 1e6)} ${pick(VERBS)} in ${Math.floor(rnd() * 900)} ms`;
    const message = signature ?? benign;
    const multiLine = signature === undefined && rnd() < 0.1;
    const stack = multiLine
      ? `java.lang.IllegalStateException: ${pick(WORDS)} rid=${rid}\n\tat com.example.${pick(WORDS)}.Handler.run(Handler.java:${Math.floor(rnd() * 400)})\n\tat java.base/java.lang.Thread.run(Thread.java:833)`
      : undefined;
    let value: string;
    let text: string;
    let recordService: string | undefined;
    if (rnd() < 0.5) {
      const event: Record<string, unknown> = { ts: new Date(1_700_000_000_000 + rid * 1000).toISOString(), level: signature ? 'error' : 'info', msg: message, service, rid };
      if (stack !== undefined) event.stack = stack;
      value = JSON.stringify(event);
      text = stack === undefined ? message : `${message}\n${stack}`;
      recordService = service;
    } else {
      // A signature in plain text keeps its own line breaks: one Kafka message, many lines.
      text = stack === undefined ? (signature === undefined ? message : `${message}\nrid=${rid}`) : `${message}\n${stack}`;
      value = text;
    }
    const ruleIds = oracle(text);
    const expected: Expected = ruleIds.length > 0 ? { kind: 'matched', ruleIds } : { kind: 'unmatched' };
    if (expected.kind === 'matched' && recordService !== undefined) expected.service = recordService;
    out.push({ rid, key, value: Buffer.from(value), expected });
  }
  for (const r of out) {
    for (const b of r.value) if (FORBIDDEN_BYTES.has(b)) throw new Error(`record ${r.rid} holds a kcat delimiter byte`);
  }
  return out;
}

/** Identity of a record by content: every generated value is unique. */
export function valueId(value: Buffer): string {
  return createHash('sha1').update(value).digest('hex');
}
