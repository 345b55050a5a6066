/** Which KB format a parsed JSON file is in, decided per file from its shape. */
import { isObject } from './record-fields.js';
import type { KbFormat } from './types.js';

export type DetectedFormat =
  | { kind: 'record'; format: KbFormat }
  /** A JSON object that is no rule at all (a JSON Schema, a package.json, …): skipped. */
  | { kind: 'not-a-record'; reason: string }
  /** Not an object: almost certainly a mistake in a rules directory, so a problem, not a skip. */
  | { kind: 'invalid'; message: string };

/** Any of these at the top level makes the file a (possibly broken) flat record. */
const FLAT_MARKERS = ['id', 'regex', 'regex_variants', 'signature'];

export function detectFormat(value: unknown): DetectedFormat {
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { kind: 'invalid', message: `the file holds ${what}; a rule file holds one JSON object` };
  }
  if ('regex' in value) return { kind: 'record', format: 'flat' };
  if (isObject(value.error)) return { kind: 'record', format: 'deadends' };
  if (typeof value.$schema === 'string' && !('id' in value) && 'properties' in value) {
    return { kind: 'not-a-record', reason: 'JSON Schema file, not a rule' };
  }
  if (FLAT_MARKERS.some((key) => key in value)) return { kind: 'record', format: 'flat' };
  return { kind: 'not-a-record', reason: 'no id, regex or error.regex: not a rule record' };
}
