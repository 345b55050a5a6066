/** Finds the text to match and the service name inside a parsed JSON log event. */

import { compileFieldPath, isRecord, resolveFieldPath, unwrapAnyValue } from './field-path.js';
import { jsonDepthWithin } from './json-depth.js';
import type { DecodePlan, ErrorField } from './plan.js';
import { TextParts } from './text-parts.js';
import { renderError } from './throwable.js';

export interface Extracted {
  text: string;
  service: string | undefined;
  /**
   * False when no known field was present and the text is every string value of the record. True
   * also when a message field was there but blank: the text is then every string value too.
   */
  known: boolean;
}

/** Service names become metric labels: long ones are cut. */
const MAX_SERVICE_LENGTH = 256;
/** OTLP batches (collector otlp_json encoding) are read up to this many log records. */
const MAX_OTLP_RECORDS = 1000;
const MAX_OTLP_RESOURCES = 64;
/** Walking an unknown shape stops after this many values. */
const MAX_WALK_NODES = 4096;

const hasOwn = Object.prototype.hasOwnProperty;
const RESOURCE_SERVICE = compileFieldPath('resource.attributes.service.name');

/** Docker's `log` and many message fields end with the newline the program wrote. */
function trimTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

function serviceName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  return s.length > MAX_SERVICE_LENGTH ? s.slice(0, MAX_SERVICE_LENGTH) : s;
}

/**
 * Which planned paths the record may hold, from its own top-level keys: a key starts a path
 * (`err`, `service.name`), or is a flat dotted key below one (`error.type` under `error`).
 */
function presentPaths(obj: Record<string, unknown>, plan: DecodePlan): Uint8Array {
  const present = new Uint8Array(plan.paths);
  const index = plan.rootKeys;
  for (const key in obj) {
    if (!hasOwn.call(obj, key)) continue;
    const ids = index.get(key);
    if (ids !== undefined) for (const id of ids) present[id] = 1;
    let dot = key.indexOf('.');
    while (dot > 0) {
      const below = index.get(key.slice(0, dot));
      if (below !== undefined) for (const id of below) present[id] = 1;
      dot = key.indexOf('.', dot + 1);
    }
  }
  return present;
}

/** Every non-blank string value of an unknown shape, depth-first, bounded. */
function collectStrings(value: unknown, parts: TextParts): void {
  const stack: unknown[] = [value];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_WALK_NODES && !parts.full) {
    const v = stack.pop();
    visited++;
    if (typeof v === 'string') {
      // A blank value would only add an empty line between the others.
      if (v.trim() !== '') parts.add(trimTrailingNewlines(v));
    } else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0 && stack.length < MAX_WALK_NODES; i--) stack.push(v[i]);
    else if (isRecord(v)) {
      const vals = Object.values(v);
      for (let i = vals.length - 1; i >= 0 && stack.length < MAX_WALK_NODES; i--) stack.push(vals[i]);
    }
  }
}

class Extraction {
  readonly parts: TextParts;
  service: string | undefined;
  /** Service named by an embedded event: used only when the outer record names none. */
  innerService: string | undefined;
  known = false;
  /** A message field was there but blank: the shape is known, its text comes from every string value. */
  blankMessage = false;

  constructor(
    private readonly plan: DecodePlan,
    limit: number,
  ) {
    this.parts = new TextParts(limit);
  }

  /** A message that is itself a JSON event (an app's JSON line inside Docker's `log`, an OTel body). */
  private addEmbedded(s: string): boolean {
    const t = s.trim();
    if (t.length < 2 || t.charCodeAt(0) !== 0x7b || t.charCodeAt(t.length - 1) !== 0x7d) return false;
    if (!jsonDepthWithin(t, this.plan.maxJsonDepth)) return false;
    let inner: unknown;
    try {
      inner = JSON.parse(t);
    } catch {
      return false;
    }
    if (!isRecord(inner)) return false;
    const before = this.parts.count;
    this.fromObject(inner, true);
    return this.parts.count > before;
  }

  /**
   * Only scalar messages count: `log` and `message` are objects in some shapes (ECS `log.level`).
   * An empty or blank message is no message: bunyan/restify audit lines carry `"msg":""` with the
   * error elsewhere (`resp.Error`), and the record must then be read as an unknown shape (every
   * string value), not as an empty text that nothing can match.
   */
  private addMessage(v: unknown, nested: boolean): boolean {
    if (typeof v === 'string') {
      const s = trimTrailingNewlines(v);
      if (s.trim() === '') {
        this.blankMessage = true;
        return false;
      }
      if (!nested && this.addEmbedded(s)) return true;
      this.parts.add(s);
      return true;
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      this.parts.add(String(v));
      return true;
    }
    return false;
  }

  private flatError(root: Record<string, unknown>, field: ErrorField): string {
    const parent = field.parent === undefined ? root : unwrapAnyValue(resolveFieldPath(root, field.parent));
    const { flatKeys, flatSuffixes } = field;
    let found: Record<string, unknown> | undefined;
    if (isRecord(parent)) {
      for (let j = 0; j < flatKeys.length; j++) {
        const key = flatKeys[j] as string;
        if (hasOwn.call(parent, key)) (found ??= {})[flatSuffixes[j] as string] = parent[key];
      }
    } else if (Array.isArray(parent)) {
      const n = Math.min(parent.length, 256);
      for (let i = 0; i < n; i++) {
        const el: unknown = parent[i];
        if (!isRecord(el) || typeof el.key !== 'string') continue;
        const j = flatKeys.indexOf(el.key);
        if (j >= 0) (found ??= {})[flatSuffixes[j] as string] = el.value;
      }
    }
    return found === undefined ? '' : renderError(found);
  }

  fromObject(obj: Record<string, unknown>, nested: boolean): void {
    const plan = this.plan;
    const present = presentPaths(obj, plan);
    for (const alternatives of plan.messageFields) {
      for (const { path, id } of alternatives) {
        if (present[id] === 1 && this.addMessage(resolveFieldPath(obj, path), nested)) {
          this.known = true;
          break;
        }
      }
    }
    for (const field of plan.errorFields) {
      if (present[field.id] !== 1) continue;
      const v = resolveFieldPath(obj, field.path);
      const text = v !== undefined && v !== null ? renderError(v) : this.flatError(obj, field);
      if (text !== '') {
        this.known = true;
        this.parts.add(trimTrailingNewlines(text));
      }
    }
    if (nested ? this.innerService === undefined : this.service === undefined) {
      for (const { path, id } of plan.serviceFields) {
        if (present[id] !== 1) continue;
        const s = serviceName(resolveFieldPath(obj, path));
        if (s === undefined) continue;
        if (nested) this.innerService = s;
        else this.service = s;
        break;
      }
    }
  }

  /** OTLP JSON export request (collector `otlp_json` encoding): many log records in one value. */
  fromOtlpBatch(resourceLogs: readonly unknown[]): void {
    let records = 0;
    const nr = Math.min(resourceLogs.length, MAX_OTLP_RESOURCES);
    for (let r = 0; r < nr && records < MAX_OTLP_RECORDS && !this.parts.full; r++) {
      const rl = resourceLogs[r];
      if (!isRecord(rl)) continue;
      this.service ??= serviceName(resolveFieldPath(rl, RESOURCE_SERVICE));
      const scopes = rl.scopeLogs ?? rl.instrumentationLibraryLogs;
      if (!Array.isArray(scopes)) continue;
      for (const sl of scopes) {
        if (!isRecord(sl) || !Array.isArray(sl.logRecords)) continue;
        for (const lr of sl.logRecords) {
          if (records++ >= MAX_OTLP_RECORDS || this.parts.full) break;
          if (isRecord(lr)) this.fromObject(lr, false);
        }
      }
    }
    this.known = true;
  }
}

export function extractFromObject(obj: Record<string, unknown>, plan: DecodePlan, limit: number): Extracted {
  const x = new Extraction(plan, limit);
  const resourceLogs = obj.resourceLogs;
  if (Array.isArray(resourceLogs)) x.fromOtlpBatch(resourceLogs);
  else x.fromObject(obj, false);
  if (!x.known) collectStrings(obj, x.parts);
  return { text: x.parts.join(), service: x.service ?? x.innerService, known: x.known || x.blankMessage };
}
