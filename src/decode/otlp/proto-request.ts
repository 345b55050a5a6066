/**
 * Decodes an OTLP/protobuf ExportLogsServiceRequest (the OpenTelemetry Collector Kafka
 * exporter's default `otlp_proto` encoding) with protobufjs, from the descriptor generated out
 * of the official .proto files. protobufjs: the reference JS protobuf runtime (grpc's
 * proto-loader and the OpenTelemetry JS exporters used it for years), pure JS, no compiler and
 * no code generation step at install time; @bufbuild/protobuf would need protoc/buf to make
 * its descriptors, and @opentelemetry/otlp-transformer only serialises requests.
 */

import protobuf from 'protobufjs/light.js';
import { OTLP_LOGS_DESCRIPTOR } from './logs-descriptor.js';

const REQUEST_TYPE = 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest';

let requestType: protobuf.Type | undefined;

function type(): protobuf.Type {
  requestType ??= protobuf.Root.fromJSON(OTLP_LOGS_DESCRIPTOR as unknown as protobuf.INamespace).lookupType(REQUEST_TYPE);
  return requestType;
}

/**
 * The request as a plain object in the OTLP JSON field names (camelCase), so that one reader
 * serves both encodings: 64-bit integers as decimal strings, bytes (trace/span ids) as
 * Uint8Array, unset fields absent.
 */
export type ProtoRequestResult = { ok: true; request: Record<string, unknown> } | { ok: false; error: string };

export function decodeOtlpProtoRequest(buf: Uint8Array): ProtoRequestResult {
  const t = type();
  let message: protobuf.Message;
  try {
    message = t.decode(buf);
  } catch (err) {
    return { ok: false, error: `not an OTLP ExportLogsServiceRequest: ${err instanceof Error ? err.message : String(err)}` };
  }
  const request = t.toObject(message, { longs: String, enums: Number, defaults: false, arrays: false, oneofs: false });
  // Protobuf skips fields it does not know, so many a text line parses as an empty request:
  // bytes that held no resource_logs were not an export request (an empty one is 0 bytes).
  if (buf.length > 0 && request.resourceLogs === undefined) {
    return { ok: false, error: `not an OTLP ExportLogsServiceRequest: ${buf.length} bytes without resource_logs (field 1)` };
  }
  return { ok: true, request };
}
