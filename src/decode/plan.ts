/** Field lists compiled once per DecodeOptions; decoding a record then never parses a path. */

import {
  DEFAULT_ERROR_FIELDS,
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MESSAGE_FIELDS,
  DEFAULT_SERVICE_FIELDS,
} from './defaults.js';
import { compileFieldPath, type FieldPath } from './field-path.js';
import type { DecodeOptions } from './types.js';

/** A compiled path with its slot in the per-record "may be present" table. */
export interface PlannedPath {
  path: FieldPath;
  id: number;
}

/** A message field: alternatives, the first that exists wins (`@m|@mt`). */
export type MessageField = readonly PlannedPath[];

/** An error field, and how to find its parts when they are flat dotted keys beside it (ECS, OTel). */
export interface ErrorField extends PlannedPath {
  /** The object holding the field (undefined: the record itself). */
  parent: FieldPath | undefined;
  /** Suffixes (`type`, `message`, …) and, at the same index, the flat keys (`error.type`, …) to look for. */
  flatSuffixes: readonly string[];
  flatKeys: readonly string[];
}

export interface DecodePlan {
  maxRecordBytes: number;
  maxJsonDepth: number;
  fallbackService: string | undefined;
  messageFields: readonly MessageField[];
  errorFields: readonly ErrorField[];
  serviceFields: readonly PlannedPath[];
  /** Number of planned paths (size of the per-record table). */
  paths: number;
  /**
   * Top-level keys that can start a planned path (`error`, `error.message`, `kubernetes`, …), each
   * with the ids of those paths. A record's own keys, looked up here once, tell which paths are
   * worth resolving: most records hold a handful of the dozens of known fields.
   */
  rootKeys: ReadonlyMap<string, readonly number[]>;
}

const FLAT_SUFFIXES = ['type', 'name', 'message', 'stack_trace', 'stacktrace', 'stack'] as const;

class PathRegistry {
  private count = 0;
  readonly rootKeys = new Map<string, number[]>();

  get size(): number {
    return this.count;
  }

  add(path: FieldPath): PlannedPath {
    const id = this.count++;
    const first = path.keys[0] ?? [];
    // Every way the record's top level can spell the start of the path: `a`, `a.b`, `a.b.c`, …
    for (let k = 1; k <= path.units; k++) {
      const key = first[k];
      if (key === undefined) continue;
      const ids = this.rootKeys.get(key);
      if (ids === undefined) this.rootKeys.set(key, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
    return { path, id };
  }
}

/** The path without its last unit, written with quoted units so that dots inside units survive. */
function parentSource(path: FieldPath): string {
  const parts: string[] = [];
  for (let i = 0; i < path.units - 1; i++) parts.push(`[${JSON.stringify(path.keys[i]?.[i + 1] ?? '')}]`);
  return parts.join('.');
}

function compileErrorField(source: string, registry: PathRegistry): ErrorField {
  const planned = registry.add(compileFieldPath(source));
  const { path } = planned;
  const last = path.keys[path.units - 1]?.[path.units] ?? '';
  const parent = path.units > 1 ? compileFieldPath(parentSource(path)) : undefined;
  return { ...planned, parent, flatSuffixes: FLAT_SUFFIXES, flatKeys: FLAT_SUFFIXES.map((s) => `${last}.${s}`) };
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return Math.floor(value);
}

export function compilePlan(opts: DecodeOptions): DecodePlan {
  const fallback = opts.fallbackService?.trim();
  const registry = new PathRegistry();
  const messageFields = (opts.messageFields ?? DEFAULT_MESSAGE_FIELDS).map((f) =>
    f.split('|').map((alt) => registry.add(compileFieldPath(alt))),
  );
  const errorFields = (opts.errorFields ?? DEFAULT_ERROR_FIELDS).map((f) => compileErrorField(f, registry));
  const serviceFields = (opts.serviceFields ?? DEFAULT_SERVICE_FIELDS).map((f) => registry.add(compileFieldPath(f)));
  return {
    maxRecordBytes: positiveInt(opts.maxRecordBytes ?? Number.NaN, 0, 'maxRecordBytes'),
    maxJsonDepth: positiveInt(opts.maxJsonDepth, DEFAULT_MAX_JSON_DEPTH, 'maxJsonDepth'),
    fallbackService: fallback === '' ? undefined : fallback,
    messageFields,
    errorFields,
    serviceFields,
    paths: registry.size,
    rootKeys: registry.rootKeys,
  };
}

const cache = new WeakMap<DecodeOptions, DecodePlan>();

/** The plan of an options object, compiled on first use. Options are read once: do not mutate them afterwards. */
export function planFor(opts: DecodeOptions): DecodePlan {
  let plan = cache.get(opts);
  if (plan === undefined) {
    plan = compilePlan(opts);
    cache.set(opts, plan);
  }
  return plan;
}
