/**
 * decodeMessage: one Kafka message in, the records it holds out. Most messages hold one record
 * (a log line, a JSON event); an OpenTelemetry logs export request holds many, each decoded,
 * matched and tagged on its own. Never throws on any input.
 */

import { decodeWithPlan } from './decode-record.js';
import { extractFromObject } from './extract.js';
import { isRecord } from './field-path.js';
import type { InputEncoding } from './input-encoding.js';
import { jsonDepthWithin } from './json-depth.js';
import { readOtlpLogs, type OtlpLogRecord } from './otlp/log-records.js';
import { decodeOtlpProtoRequest as decodeProto } from './otlp/proto-request.js';
import { compilePlan, type DecodePlan } from './plan.js';
import type { DecodedRecord, DecodeIssue, DecodeOptions } from './types.js';

export type MessageDecoding =
  /** `batch`: the records came from one OTLP request and carry their index in it. */
  | { kind: 'records'; records: DecodedRecord[]; batch: boolean }
  | { kind: 'invalid'; reason: 'invalid-otlp'; error: string };

const NO_ISSUES: readonly DecodeIssue[] = Object.freeze([]);
const EMPTY_ISSUES: readonly DecodeIssue[] = Object.freeze(['empty'] as DecodeIssue[]);

function otlpRecord(lr: OtlpLogRecord, plan: DecodePlan, bytes: number, fallbackService: string | undefined): DecodedRecord {
  const { event, bodyMap } = lr;
  // A map body is a structured log line: its own fields say the message; attributes and
  // resource stay beside it for the exception and the service.
  const view = bodyMap === undefined ? event : { ...bodyMap, attributes: event.attributes, resource: event.resource };
  const x = extractFromObject(view, plan, plan.maxRecordBytes);
  const service = x.service ?? fallbackService ?? plan.fallbackService;
  const record: DecodedRecord = { text: x.text, event, format: 'otlp', issues: x.text === '' ? EMPTY_ISSUES : NO_ISSUES, bytes };
  if (service !== undefined && service !== '') record.service = service;
  return record;
}

function fromRequest(request: unknown, plan: DecodePlan, bytes: number, fallbackService: string | undefined): MessageDecoding {
  const read = readOtlpLogs(request);
  if (!read.ok) return { kind: 'invalid', reason: 'invalid-otlp', error: read.error };
  // Every record shares the message's bytes: per-record sizes are not known after decoding.
  return { kind: 'records', batch: true, records: read.records.map((lr) => otlpRecord(lr, plan, bytes, fallbackService)) };
}

function parseJson(s: string, plan: DecodePlan): { ok: true; value: unknown } | { ok: false; error: string } {
  if (!jsonDepthWithin(s, plan.maxJsonDepth)) return { ok: false, error: `JSON nested deeper than ${plan.maxJsonDepth}` };
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** An OTLP JSON request, found without parsing every JSON log line twice. */
function otlpJsonCandidate(raw: Buffer): boolean {
  let i = 0;
  while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09)) i++;
  return raw[i] === 0x7b && raw.includes('"resourceLogs"');
}

/**
 * An ExportLogsServiceRequest starts with field 1 (resource_logs, length-delimited): tag byte
 * 0x0a. Text rarely starts with a newline, and one that does fails the protobuf framing.
 */
function otlpProtoCandidate(raw: Buffer): boolean {
  return raw.length > 2 && raw[0] === 0x0a;
}

function single(raw: Buffer, plan: DecodePlan, fallbackService: string | undefined, json: boolean): MessageDecoding {
  return { kind: 'records', batch: false, records: [decodeWithPlan(raw, plan, fallbackService, json)] };
}

export function decodeMessageWithPlan(
  raw: Buffer,
  plan: DecodePlan,
  encoding: InputEncoding,
  fallbackService?: string,
): MessageDecoding {
  switch (encoding) {
    case 'text':
      return single(raw, plan, fallbackService, false);
    case 'otlp_proto': {
      const decoded = decodeProto(raw);
      if (!decoded.ok) return { kind: 'invalid', reason: 'invalid-otlp', error: decoded.error };
      return fromRequest(decoded.request, plan, raw.length, fallbackService);
    }
    case 'otlp_json': {
      const parsed = parseJson(raw.toString('utf8'), plan);
      if (!parsed.ok) return { kind: 'invalid', reason: 'invalid-otlp', error: `not OTLP JSON: ${parsed.error}` };
      if (!isRecord(parsed.value)) return { kind: 'invalid', reason: 'invalid-otlp', error: 'not OTLP JSON: not an object' };
      return fromRequest(parsed.value, plan, raw.length, fallbackService);
    }
    case 'auto':
    case 'json': {
      if (encoding === 'auto' && otlpProtoCandidate(raw)) {
        const decoded = decodeProto(raw);
        if (decoded.ok) {
          const out = fromRequest(decoded.request, plan, raw.length, fallbackService);
          if (out.kind === 'records' && out.records.length > 0) return out;
        }
      }
      if (otlpJsonCandidate(raw)) {
        const parsed = parseJson(raw.toString('utf8'), plan);
        if (parsed.ok && isRecord(parsed.value) && Array.isArray(parsed.value.resourceLogs)) {
          return fromRequest(parsed.value, plan, raw.length, fallbackService);
        }
      }
      return single(raw, plan, fallbackService, true);
    }
  }
}

/** A message decoder bound to compiled options: the worker's fast path. */
export function createMessageDecoder(opts: DecodeOptions): (raw: Buffer, encoding: InputEncoding, fallbackService?: string) => MessageDecoding {
  const plan = compilePlan(opts);
  return (raw, encoding, fallbackService) => decodeMessageWithPlan(raw, plan, encoding, fallbackService);
}
