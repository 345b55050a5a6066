/**
 * Reads an OTLP logs export request (from protobuf or from OTLP JSON: same field names) into one
 * plain event per log record: AnyValues unwrapped, key/value lists turned into objects (keys
 * such as `exception.type` kept as they are), trace and span ids in hex as OTLP JSON writes
 * them, and the resource and scope each record belongs to.
 */

import { isRecord } from '../field-path.js';

/** An attribute value nested deeper than this is cut (a hostile kvlist would recurse without end). */
const MAX_VALUE_DEPTH = 16;
/** Elements read from one array or kvlist value. */
const MAX_VALUES = 4096;

export interface OtlpLogRecord {
  /** The log record as faultline emits it. */
  event: Record<string, unknown>;
  /** The body when it is a map (structured logging): its fields are matched like a JSON log line's. */
  bodyMap: Record<string, unknown> | undefined;
}

export type OtlpReadResult = { ok: true; records: OtlpLogRecord[] } | { ok: false; error: string };

function hex(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v.toLowerCase();
  if (v instanceof Uint8Array) return v.length === 0 ? undefined : Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  return undefined;
}

/** An OTLP AnyValue (`{stringValue}`, `{kvlistValue: {values}}`, …) as a plain JS value. */
export function plainAnyValue(v: unknown, depth = 0): unknown {
  if (!isRecord(v)) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === 'true';
  if (v.intValue !== undefined) return typeof v.intValue === 'number' ? v.intValue : String(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) {
    const b = v.bytesValue;
    return b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64') : b;
  }
  if (depth >= MAX_VALUE_DEPTH) return undefined;
  if (isRecord(v.arrayValue)) {
    const values = Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return values.slice(0, MAX_VALUES).map((x) => plainAnyValue(x, depth + 1));
  }
  if (isRecord(v.kvlistValue)) return plainAttributes(v.kvlistValue.values, depth + 1);
  return undefined;
}

/** A KeyValue list as an object; the first of duplicate keys wins (the data model forbids them). */
export function plainAttributes(list: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  const n = Math.min(list.length, MAX_VALUES);
  for (let i = 0; i < n; i++) {
    const kv: unknown = list[i];
    if (!isRecord(kv) || typeof kv.key !== 'string' || Object.prototype.hasOwnProperty.call(out, kv.key)) continue;
    const value = plainAnyValue(kv.value, depth);
    if (value !== undefined) out[kv.key] = value;
  }
  return out;
}

function setIf(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '' && value !== 0 && value !== '0') target[key] = value;
}

function logEvent(lr: Record<string, unknown>, resource: Record<string, unknown>, scope: Record<string, unknown> | undefined): OtlpLogRecord {
  const event: Record<string, unknown> = {};
  setIf(event, 'timeUnixNano', lr.timeUnixNano === undefined ? undefined : String(lr.timeUnixNano));
  setIf(event, 'observedTimeUnixNano', lr.observedTimeUnixNano === undefined ? undefined : String(lr.observedTimeUnixNano));
  setIf(event, 'severityNumber', typeof lr.severityNumber === 'number' ? lr.severityNumber : undefined);
  setIf(event, 'severityText', lr.severityText);
  setIf(event, 'eventName', lr.eventName);
  const body = plainAnyValue(lr.body);
  if (body !== undefined) event.body = body;
  event.attributes = plainAttributes(lr.attributes);
  setIf(event, 'traceId', hex(lr.traceId));
  setIf(event, 'spanId', hex(lr.spanId));
  event.resource = resource;
  if (scope !== undefined) event.scope = scope;
  return { event, bodyMap: isRecord(body) ? body : undefined };
}

function scopeOf(sl: Record<string, unknown>): Record<string, unknown> | undefined {
  const s = sl.scope;
  if (!isRecord(s)) return undefined;
  const scope: Record<string, unknown> = {};
  setIf(scope, 'name', s.name);
  setIf(scope, 'version', s.version);
  const attributes = plainAttributes(s.attributes);
  if (Object.keys(attributes).length > 0) scope.attributes = attributes;
  return Object.keys(scope).length > 0 ? scope : undefined;
}

/**
 * Every log record of the request, in order. Fails only when the request is not shaped like an
 * export request at all; an empty request is valid and yields no records.
 */
export function readOtlpLogs(request: unknown): OtlpReadResult {
  if (!isRecord(request)) return { ok: false, error: 'not an OTLP export request: not an object' };
  const resourceLogs = request.resourceLogs;
  if (resourceLogs === undefined) {
    const keys = Object.keys(request);
    if (keys.length === 0) return { ok: true, records: [] };
    return { ok: false, error: `not an OTLP logs export request: no resourceLogs (fields: ${keys.slice(0, 5).join(', ')})` };
  }
  if (!Array.isArray(resourceLogs)) return { ok: false, error: 'not an OTLP logs export request: resourceLogs is not a list' };
  const records: OtlpLogRecord[] = [];
  for (const rl of resourceLogs) {
    if (!isRecord(rl)) return { ok: false, error: 'not an OTLP logs export request: a resourceLogs entry is not an object' };
    const resource = { attributes: plainAttributes(isRecord(rl.resource) ? rl.resource.attributes : undefined) };
    // instrumentationLibraryLogs: the name before OTLP 0.15, still written by old collectors.
    const scopes = rl.scopeLogs ?? rl.instrumentationLibraryLogs;
    if (scopes === undefined) continue;
    if (!Array.isArray(scopes)) return { ok: false, error: 'not an OTLP logs export request: scopeLogs is not a list' };
    for (const sl of scopes) {
      if (!isRecord(sl)) continue;
      const scope = scopeOf(sl);
      const logRecords = sl.logRecords;
      if (logRecords === undefined) continue;
      if (!Array.isArray(logRecords)) return { ok: false, error: 'not an OTLP logs export request: logRecords is not a list' };
      for (const lr of logRecords) if (isRecord(lr)) records.push(logEvent(lr, resource, scope));
    }
  }
  return { ok: true, records };
}
