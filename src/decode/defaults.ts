/**
 * Default field paths. Each covers the JSON shapes of real loggers; order matters only for
 * services (first found wins) and for the order of text pieces.
 */

export const DEFAULT_MESSAGE_FIELDS: readonly string[] = [
  'msg', // pino, bunyan
  'message', // winston, ECS, log4j2 JsonLayout/JsonTemplateLayout, Logstash, Fluentd
  'Message', // .NET Microsoft.Extensions.Logging JSON console formatter
  '@m|@mt', // Serilog CLEF: the rendered message, else the template as is
  'log', // Docker json-file, Fluent Bit, Fluentd in_tail of container logs
  'body', // OpenTelemetry (SDK console exporters, OTLP JSON log records)
  'Body', // OpenTelemetry log data model examples
  'MESSAGE', // journald (journalctl -o json)
  'short_message', // GELF
  'full_message', // GELF (holds the stack trace when there is one)
  'textPayload', // Google Cloud Logging
  'event', // structlog (a string there; ECS's `event` object is skipped, only strings are messages)
];

export const DEFAULT_ERROR_FIELDS: readonly string[] = [
  'err', // pino, bunyan: {type|name, message, stack}
  'error', // ECS (nested or flat error.type/error.message/error.stack_trace), Go/zap/logrus strings
  'exception', // generic, structlog, python-json-logger
  'Exception', // .NET Microsoft.Extensions.Logging JSON console formatter, Serilog JsonFormatter
  '@x', // Serilog CLEF
  'thrown', // log4j2 JsonLayout and JsonTemplateLayout's JsonLayout.json template
  'stack', // winston format.errors({ stack: true })
  'stacktrace',
  'stack_trace', // logstash-logback-encoder
  'exc_info', // python-json-logger
  'attributes.exception', // OpenTelemetry exception.type/.message/.stacktrace (map or OTLP list)
  'Attributes.exception', // OpenTelemetry log data model examples
  'attr.error', // MongoDB 4.4+ structured logs: a string, or a Status {code, codeName, errmsg}
];

export const DEFAULT_SERVICE_FIELDS: readonly string[] = [
  'service', // winston defaultMeta, many hand-rolled loggers
  'service.name', // ECS (nested or flat)
  'serviceName',
  'app',
  'application',
  'Application', // Serilog enricher convention
  'kubernetes.labels.app',
  'kubernetes.labels["app.kubernetes.io/name"]',
  'kubernetes.container_name', // Fluent Bit / Fluentd kubernetes metadata
  'resource.attributes.service.name', // OpenTelemetry SDK console exporters (map) and OTLP (list)
  'resource.service.name',
  'Resource.service.name', // OpenTelemetry log data model examples
  'SYSLOG_IDENTIFIER', // journald
];

export const DEFAULT_MAX_JSON_DEPTH = 64;
