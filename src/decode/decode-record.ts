/**
 * decodeRecord: one raw record (a line, a joined stack trace, a Kafka value) in, the text to match,
 * the event to emit and the service out. Never throws on any input.
 */

import {
  isValidUtf8,
  isWellFormedString,
  looksBinaryString,
  truncateStringToBytes,
  utf8Boundary,
} from './bytes.js';
import { looksBinaryBytes } from './binary.js';
import { extractFromObject } from './extract.js';
import { isRecord } from './field-path.js';
import { jsonDepthWithin } from './json-depth.js';
import { compilePlan, planFor, type DecodePlan } from './plan.js';
import { TextParts } from './text-parts.js';
import type { DecodedRecord, DecodeIssue, DecodeOptions } from './types.js';

const NO_ISSUES: readonly DecodeIssue[] = Object.freeze([]);
const REPLACEMENT_CHAR = '\uFFFD';
/** Arrays of events are read up to this many elements. */
const MAX_ARRAY_ITEMS = 1000;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xfeff;
}

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function lastNonSpace(s: string): number {
  let i = s.length - 1;
  while (i >= 0 && isSpace(s.charCodeAt(i))) i--;
  return i;
}

/** Plain text: trailing newlines (and a BOM) are not part of the message. */
function plainText(s: string, start: number): string {
  let end = s.length;
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    end--;
  }
  const from = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  return from === 0 && end === s.length ? s : s.slice(from, Math.max(from, end));
}

/**
 * A line starting with [ or " is JSON only if it ends the same way and its second character can
 * start a value; testing first keeps JSON.parse (and its costly exceptions) off ordinary text
 * such as Apache's `[Sun Dec 04 …] [error] …`.
 */
function mayBeJsonValue(s: string, first: number, last: number): boolean {
  const open = s.charCodeAt(first);
  const close = s.charCodeAt(last);
  if (open === 0x22) return close === 0x22 && last > first;
  if (open !== 0x5b || close !== 0x5d) return false;
  let at = first + 1;
  while (at < last && isSpace(s.charCodeAt(at))) at++;
  const second = s.charCodeAt(at);
  return (
    second === 0x7b || second === 0x5b || second === 0x22 || second === 0x5d || second === 0x2d ||
    (second >= 0x30 && second <= 0x39) || second === 0x74 || second === 0x66 || second === 0x6e
  );
}

function tryParse(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch {
    return { ok: false };
  }
}

interface Outcome {
  text: string;
  event: Record<string, unknown>;
  format: 'json' | 'text';
  service: string | undefined;
  issue?: DecodeIssue;
}

function fromArray(items: readonly unknown[], plan: DecodePlan): { text: string; service: string | undefined } {
  const parts = new TextParts(plan.maxRecordBytes);
  let service: string | undefined;
  const n = Math.min(items.length, MAX_ARRAY_ITEMS);
  for (let i = 0; i < n && !parts.full; i++) {
    const item = items[i];
    if (typeof item === 'string') parts.add(item);
    else if (typeof item === 'number' || typeof item === 'boolean') parts.add(String(item));
    else if (isRecord(item)) {
      const x = extractFromObject(item, plan, plan.maxRecordBytes);
      parts.add(x.text);
      service ??= x.service;
    }
  }
  return { text: parts.join(), service };
}

function decodeJsonValue(value: unknown, plan: DecodePlan): Outcome {
  if (isRecord(value)) {
    const x = extractFromObject(value, plan, plan.maxRecordBytes);
    return { text: x.text, event: value, format: 'json', service: x.service, issue: x.known ? undefined : 'unknown-shape' };
  }
  if (Array.isArray(value)) {
    const { text, service } = fromArray(value, plan);
    return { text, event: { message: text }, format: 'json', service };
  }
  const text = typeof value === 'string' ? plainText(value, 0) : String(value);
  return { text, event: { message: text }, format: 'json', service: undefined };
}

/** Says whether the record is binary; only asked of records that are not JSON. */
type BinaryCheck = () => boolean;

function decodeText(s: string, plan: DecodePlan, tooLarge: boolean, binary: BinaryCheck): Outcome {
  const first = firstNonSpace(s);
  if (first < s.length && !tooLarge) {
    const c = s.charCodeAt(first);
    const last = lastNonSpace(s);
    if (c === 0x7b) {
      if (s.charCodeAt(last) === 0x7d) {
        if (!jsonDepthWithin(s, plan.maxJsonDepth)) return textOutcome(s, first, 'too-deep', binary);
        const parsed = tryParse(first === 0 ? s : s.slice(first));
        if (parsed.ok) return decodeJsonValue(parsed.value, plan);
      }
      return textOutcome(s, first, 'invalid-json', binary);
    }
    if ((c === 0x5b || c === 0x22) && mayBeJsonValue(s, first, last) && jsonDepthWithin(s, plan.maxJsonDepth)) {
      const parsed = tryParse(first === 0 ? s : s.slice(first));
      if (parsed.ok) return decodeJsonValue(parsed.value, plan);
    }
  }
  return textOutcome(s, first, undefined, binary);
}

function textOutcome(s: string, first: number, issue: DecodeIssue | undefined, binary: BinaryCheck): Outcome {
  if (binary()) return { text: '', event: { message: '' }, format: 'text', service: undefined, issue: 'binary' };
  const text = first >= s.length ? '' : plainText(s, first);
  return { text, event: { message: text }, format: 'text', service: undefined, issue };
}

function withIssue(issues: DecodeIssue[] | undefined, issue: DecodeIssue): DecodeIssue[] {
  if (issues === undefined) return [issue];
  if (!issues.includes(issue)) issues.push(issue);
  return issues;
}

/**
 * `parseJson` false reads the record as plain text whatever it looks like (input encoding `text`).
 */
export function decodeWithPlan(raw: Buffer | string, plan: DecodePlan, fallbackService?: string, parseJson = true): DecodedRecord {
  let issues: DecodeIssue[] | undefined;
  let s: string;
  let bytes: number;
  let tooLarge = false;
  if (typeof raw === 'string') {
    bytes = Buffer.byteLength(raw, 'utf8');
    s = raw;
    if (bytes > plan.maxRecordBytes) {
      s = truncateStringToBytes(raw, plan.maxRecordBytes);
      tooLarge = true;
    }
    if (!isWellFormedString(s)) {
      issues = withIssue(issues, 'invalid-utf8');
      s = Buffer.from(s, 'utf8').toString('utf8');
    }
  } else {
    bytes = raw.length;
    let buf = raw;
    if (bytes > plan.maxRecordBytes) {
      buf = raw.subarray(0, utf8Boundary(raw, plan.maxRecordBytes));
      tooLarge = true;
    }
    s = buf.toString('utf8');
    // Invalid bytes always decode to U+FFFD; only then is the exact (native) check worth running.
    if (s.includes(REPLACEMENT_CHAR) && !isValidUtf8(buf)) issues = withIssue(issues, 'invalid-utf8');
  }
  if (tooLarge) issues = withIssue(issues, 'too-large');

  // Bytes are judged as bytes (control bytes with invalid UTF-8, magic numbers: ./binary.ts);
  // a string has lost its invalid bytes already, so only its control characters count.
  const decoded = s;
  const binary: BinaryCheck = typeof raw === 'string' ? () => looksBinaryString(decoded) : () => looksBinaryBytes(raw);
  const out = parseJson ? decodeText(s, plan, tooLarge, binary) : textOutcome(s, firstNonSpace(s), undefined, binary);
  if (out.issue !== undefined) issues = withIssue(issues, out.issue);
  if (out.text === '' && out.issue !== 'binary') issues = withIssue(issues, 'empty');

  const service = out.service ?? fallbackService ?? plan.fallbackService;
  const record: DecodedRecord = { text: out.text, event: out.event, format: out.format, issues: issues ?? NO_ISSUES, bytes };
  if (service !== undefined && service !== '') record.service = service;
  return record;
}

/**
 * Decodes one record. `fallbackService` (from a Kafka header or key) is used when the record names
 * no service; it overrides `opts.fallbackService`.
 */
export function decodeRecord(raw: Buffer | string, opts: DecodeOptions, fallbackService?: string): DecodedRecord {
  return decodeWithPlan(raw, planFor(opts), fallbackService);
}

/** A decoder bound to compiled options: the fast path for the worker and `scan`. */
export function createDecoder(opts: DecodeOptions): (raw: Buffer | string, fallbackService?: string) => DecodedRecord {
  const plan = compilePlan(opts);
  return (raw, fallbackService) => decodeWithPlan(raw, plan, fallbackService);
}
