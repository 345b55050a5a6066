/**
 * OTLP logs export requests made the way an application's OpenTelemetry SDK makes them: log
 * records emitted through @opentelemetry/sdk-logs, serialised by @opentelemetry/otlp-transformer
 * (the code behind the OTLP exporters), from the .proto definitions that package compiles in.
 * Nothing here writes protobuf bytes by hand.
 */

import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';

export interface FixtureLog {
  body?: string | Record<string, unknown>;
  severityText?: string;
  attributes?: Record<string, string | number | boolean>;
}

export interface FixtureService {
  /** Resource attributes; `service.name` among them unless a test wants it missing. */
  resource: Record<string, string>;
  scope?: string;
  logs: FixtureLog[];
}

/** The log records as the SDK hands them to an exporter. */
export async function readableLogs(services: readonly FixtureService[]): Promise<ReadableLogRecord[]> {
  const out: ReadableLogRecord[] = [];
  for (const svc of services) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes(svc.resource),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger(svc.scope ?? 'faultline-test', '1.0.0');
    for (const log of svc.logs) {
      const record: Parameters<typeof logger.emit>[0] = {};
      if (log.body !== undefined) record.body = log.body as never;
      if (log.severityText !== undefined) record.severityText = log.severityText;
      if (log.attributes !== undefined) record.attributes = log.attributes;
      logger.emit(record);
    }
    await provider.forceFlush();
    out.push(...exporter.getFinishedLogRecords());
    await provider.shutdown();
  }
  return out;
}

/** One ExportLogsServiceRequest in the Collector Kafka exporter's `otlp_proto` encoding. */
export async function otlpProtoMessage(services: readonly FixtureService[]): Promise<Buffer> {
  const bytes = ProtobufLogsSerializer.serializeRequest(await readableLogs(services));
  if (bytes === undefined) throw new Error('ProtobufLogsSerializer produced nothing');
  return Buffer.from(bytes);
}

/** The same request in the `otlp_json` encoding. */
export async function otlpJsonMessage(services: readonly FixtureService[]): Promise<Buffer> {
  const bytes = JsonLogsSerializer.serializeRequest(await readableLogs(services));
  if (bytes === undefined) throw new Error('JsonLogsSerializer produced nothing');
  return Buffer.from(bytes);
}
