/**
 * Dotted field paths that find a value however the logger spelled the nesting: `error.message`
 * matches `{"error": {"message": …}}`, the flat ECS key `{"error.message": …}` and any mix of the
 * two, and an OTLP key/value list `[{"key": "error.message", "value": {"stringValue": …}}]`.
 */

/** A compiled path: `keys[i][k]` is the key made of units i..k-1 joined by dots (tried longest first). */
export interface FieldPath {
  readonly source: string;
  readonly units: number;
  readonly keys: readonly (readonly string[])[];
}

/** Paths longer than this are refused: resolution may branch at every unit. */
const MAX_UNITS = 12;
/** OTLP attribute lists are short; a huge array is not one and is not scanned past this. */
const MAX_KEYVALUE_SCAN = 256;

export class FieldPathError extends Error {}

/** Splits `a.b["c.d"].e` into units a, b, c.d, e; an empty unit (`a..b`, `.a`, `a.`) is refused. */
function splitUnits(path: string): string[] {
  const units: string[] = [];
  let i = 0;
  let current = '';
  let pending = false;
  /** Just after `["…"]`: a dot or another bracket may follow, and the dot then starts no empty unit. */
  let afterBracket = false;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (!pending && !afterBracket) throw new FieldPathError(`field path "${path}" has an empty segment`);
      if (pending) units.push(current);
      current = '';
      pending = false;
      afterBracket = false;
      i++;
      if (i === path.length) throw new FieldPathError(`field path "${path}" has an empty segment`);
    } else if (c === '[') {
      const quote = path[i + 1];
      if (quote !== '"' && quote !== "'") throw new FieldPathError(`field path ${path}: expected a quote after [`);
      const close = path.indexOf(quote + ']', i + 2);
      if (close < 0) throw new FieldPathError(`field path ${path}: unclosed [${quote}`);
      if (pending) units.push(current);
      units.push(path.slice(i + 2, close));
      current = '';
      pending = false;
      afterBracket = true;
      i = close + 2;
    } else {
      if (afterBracket) throw new FieldPathError(`field path ${path}: expected . or [ after ]`);
      current += c;
      pending = true;
      i++;
    }
  }
  if (pending) units.push(current);
  return units;
}

export function compileFieldPath(path: string): FieldPath {
  const units = splitUnits(path.trim());
  if (units.length === 0 || units.some((u) => u === '')) throw new FieldPathError(`field path "${path}" is empty or has an empty segment`);
  if (units.includes('__proto__')) throw new FieldPathError(`field path ${path}: __proto__ is not a field`);
  if (units.length > MAX_UNITS) throw new FieldPathError(`field path ${path} has more than ${MAX_UNITS} segments`);
  const keys: string[][] = [];
  for (let i = 0; i < units.length; i++) {
    const row: string[] = [];
    for (let k = 0; k <= units.length; k++) row.push(k > i ? units.slice(i, k).join('.') : '');
    keys.push(row);
  }
  return { source: path, units: units.length, keys };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Unwraps an OTLP AnyValue: `{stringValue}` and friends give the scalar, `{kvlistValue: {values}}`
 * gives its key/value list, `{arrayValue: {values}}` its array. Anything else is returned as is.
 * Plain property reads keep this cheap on the ordinary objects it is mostly called with.
 */
export function unwrapAnyValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (typeof o.stringValue === 'string') return o.stringValue;
  if (o.kvlistValue !== undefined) {
    const kv = o.kvlistValue;
    return isRecord(kv) && Array.isArray(kv.values) ? kv.values : undefined;
  }
  if (o.arrayValue !== undefined) {
    const av = o.arrayValue;
    return isRecord(av) && Array.isArray(av.values) ? av.values.map(unwrapAnyValue) : undefined;
  }
  if (o.intValue !== undefined && hasOwn.call(o, 'intValue')) return o.intValue;
  if (o.doubleValue !== undefined && hasOwn.call(o, 'doubleValue')) return o.doubleValue;
  if (o.boolValue !== undefined && hasOwn.call(o, 'boolValue')) return o.boolValue;
  return v;
}

function walkKeyValues(list: readonly unknown[], path: FieldPath, i: number, row: readonly string[]): unknown {
  const n = Math.min(list.length, MAX_KEYVALUE_SCAN);
  for (let k = path.units; k > i; k--) {
    const key = row[k];
    for (let j = 0; j < n; j++) {
      const el: unknown = list[j];
      if (isRecord(el) && el.key === key) {
        const found = walk(el.value, path, k);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function walk(node: unknown, path: FieldPath, i: number): unknown {
  if (i === path.units) return unwrapAnyValue(node);
  const row = path.keys[i];
  if (row === undefined || typeof node !== 'object' || node === null) return undefined;
  if (Array.isArray(node)) return walkKeyValues(node, path, i, row);
  const obj = node as Record<string, unknown>;
  for (let k = path.units; k > i; k--) {
    // A plain read is much cheaper than hasOwnProperty; JSON never holds functions, so a function
    // here can only be inherited from Object.prototype (`constructor`, `toString`, …).
    const v = obj[row[k] as string];
    if (v !== undefined && typeof v !== 'function') {
      const found = walk(v, path, k);
      if (found !== undefined) return found;
    }
  }
  // An OTLP AnyValue on the way: `{kvlistValue: {values: [{key, value}]}}`.
  const inner = obj.kvlistValue;
  if (inner !== undefined) {
    const list = unwrapAnyValue(obj);
    if (Array.isArray(list)) return walkKeyValues(list, path, i, row);
  }
  return undefined;
}

/** The value at `path` inside `root`, or undefined. Never throws; cost is bounded by the path length. */
export function resolveFieldPath(root: unknown, path: FieldPath): unknown {
  return walk(root, path, 0);
}
