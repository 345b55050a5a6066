/**
 * Every setting faultline takes, in one table: the CLI flag, the environment variable, the JSON
 * Schema that validates it and the default. The CLI, the README table and validation all read
 * this table, so a setting cannot exist in one place and be missing in another.
 */

import { INPUT_ENCODING_ITEM } from '../decode/input-encoding.js';

export type CommandName = 'worker' | 'scan' | 'demo';

export interface OptionSpec {
  /** Property name in the resolved config. */
  key: string;
  /** Commander flag syntax, e.g. '--metrics-port <port>'. */
  flag: string;
  env?: string;
  help: string;
  /** JSON Schema for the value after list splitting; ajv coerces strings to numbers/booleans. */
  schema: Record<string, unknown>;
  default?: unknown;
  /** Comma-separated in env and flags. */
  list?: boolean;
  /** Never printed back (passwords). */
  secret?: boolean;
  /** The value is a JSON document (parsed before validation). */
  json?: boolean;
  commands: readonly CommandName[];
}

const ALL: readonly CommandName[] = ['worker', 'scan', 'demo'];
const KAFKA: readonly CommandName[] = ['worker', 'demo'];

const port = { type: 'integer', minimum: 0, maximum: 65535 };
const positiveInt = { type: 'integer', minimum: 1 };
const nonEmpty = { type: 'string', minLength: 1 };
const topicName = { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' };
const dottedPaths = { type: 'array', items: { type: 'string', pattern: '^[^.\\s][^\\s]*$' }, minItems: 1 };

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'rules',
    flag: '--rules <dirs>',
    env: 'FAULTLINE_RULES',
    help: 'rule directories, comma-separated',
    schema: { type: 'array', items: nonEmpty, minItems: 1 },
    default: ['rules'],
    list: true,
    commands: ALL,
  },
  {
    key: 'strictRules',
    flag: '--strict-rules',
    env: 'FAULTLINE_STRICT_RULES',
    help: 'refuse to start, or a live reload, when any rule has a problem (default: skip bad rules with a warning)',
    schema: { type: 'boolean' },
    default: false,
    commands: ALL,
  },
  {
    key: 'cacheDir',
    flag: '--cache-dir <dir>',
    env: 'FAULTLINE_CACHE_DIR',
    help: 'where loaded and compiled rule sets are kept between starts, keyed on the rule files\' content and the engine versions (default $XDG_CACHE_HOME/faultline/rules, else ~/.cache/faultline/rules; "off": no cache)',
    schema: nonEmpty,
    commands: ['worker', 'scan'],
  },
  {
    key: 'rulesWatchMs',
    flag: '--rules-watch-ms <ms>',
    env: 'FAULTLINE_RULES_WATCH_MS',
    help: 'check the rule directories for changes this often and reload them live (0: off; SIGHUP always reloads)',
    schema: { type: 'integer', minimum: 0, maximum: 3600000 },
    default: 10000,
    commands: ['worker'],
  },
  {
    key: 'maxRecordBytes',
    flag: '--max-record-bytes <n>',
    env: 'FAULTLINE_MAX_RECORD_BYTES',
    help: 'records above this size are truncated (scan) or dead-lettered (worker)',
    schema: { type: 'integer', minimum: 256, maximum: 64 * 1024 * 1024 },
    default: 1024 * 1024,
    commands: ALL,
  },
  {
    key: 'messageFields',
    flag: '--message-fields <paths>',
    env: 'FAULTLINE_MESSAGE_FIELDS',
    help: 'JSON field paths holding the message, comma-separated (default: the common logger shapes)',
    schema: dottedPaths,
    list: true,
    commands: ALL,
  },
  {
    key: 'errorFields',
    flag: '--error-fields <paths>',
    env: 'FAULTLINE_ERROR_FIELDS',
    help: 'JSON field paths holding exception/stack text, comma-separated (default: the common logger shapes)',
    schema: dottedPaths,
    list: true,
    commands: ALL,
  },
  {
    key: 'serviceFields',
    flag: '--service-fields <paths>',
    env: 'FAULTLINE_SERVICE_FIELDS',
    help: 'JSON field paths holding the service name, comma-separated (default: service, service.name, app, …)',
    schema: dottedPaths,
    list: true,
    commands: ALL,
  },
  {
    key: 'brokers',
    flag: '--brokers <list>',
    env: 'KAFKA_BROKERS',
    help: 'Kafka bootstrap servers, host:port, comma-separated',
    schema: { type: 'array', items: { type: 'string', pattern: '^\\S+:[0-9]{1,5}$' }, minItems: 1 },
    list: true,
    commands: KAFKA,
  },
  {
    key: 'inputTopics',
    flag: '--input-topics <list>',
    env: 'FAULTLINE_INPUT_TOPICS',
    help: 'topics to consume, comma-separated; an entry with regex characters (e.g. logs\\..*) is a pattern',
    schema: { type: 'array', items: nonEmpty, minItems: 1 },
    list: true,
    commands: ['worker'],
  },
  {
    key: 'inputEncoding',
    flag: '--input-encoding <list>',
    env: 'FAULTLINE_INPUT_ENCODING',
    help:
      'how input messages are read: auto (JSON, text, OTLP JSON or OTLP protobuf, detected), text, json, otlp_proto or otlp_json (the OpenTelemetry Collector Kafka exporter\'s encodings: a message that is not OTLP is dead-lettered); one value for every topic, or topic=encoding entries, comma-separated',
    schema: { type: 'array', items: { type: 'string', pattern: INPUT_ENCODING_ITEM }, minItems: 1 },
    default: ['auto'],
    list: true,
    commands: ['worker'],
  },
  {
    key: 'outputTopic',
    flag: '--output-topic <topic>',
    env: 'FAULTLINE_OUTPUT_TOPIC',
    help: 'topic for tagged events',
    schema: topicName,
    default: 'faultline.matches',
    commands: KAFKA,
  },
  {
    key: 'dlqTopic',
    flag: '--dlq-topic <topic>',
    env: 'FAULTLINE_DLQ_TOPIC',
    help: 'dead-letter topic for records that cannot be handled',
    schema: topicName,
    default: 'faultline.dlq',
    commands: KAFKA,
  },
  {
    key: 'groupId',
    flag: '--group-id <id>',
    env: 'FAULTLINE_GROUP_ID',
    help: 'Kafka consumer group',
    schema: nonEmpty,
    default: 'faultline',
    commands: KAFKA,
  },
  {
    key: 'clientId',
    flag: '--client-id <id>',
    env: 'FAULTLINE_CLIENT_ID',
    help: 'Kafka client id',
    schema: nonEmpty,
    default: 'faultline',
    commands: KAFKA,
  },
  {
    key: 'emit',
    flag: '--emit <which>',
    env: 'FAULTLINE_EMIT',
    help: 'matched: write only matched records; all: every record, enriched',
    schema: { enum: ['matched', 'all'] },
    default: 'matched',
    commands: KAFKA,
  },
  {
    key: 'fromBeginning',
    flag: '--from-beginning',
    env: 'FAULTLINE_FROM_BEGINNING',
    help: 'a new consumer group starts at the earliest offset instead of the latest',
    schema: { type: 'boolean' },
    default: false,
    commands: KAFKA,
  },
  {
    key: 'shutdownGraceMs',
    flag: '--shutdown-grace-ms <ms>',
    env: 'FAULTLINE_SHUTDOWN_GRACE_MS',
    help: 'on SIGTERM, time to finish the batch in hand and commit before exiting',
    schema: { type: 'integer', minimum: 1000, maximum: 600000 },
    default: 25000,
    commands: KAFKA,
  },
  {
    key: 'outputCompression',
    flag: '--output-compression <codec>',
    env: 'FAULTLINE_OUTPUT_COMPRESSION',
    help: 'codec of the tagged events and dead letters the worker writes: none, gzip, snappy, lz4 or zstd (default: zstd, measured best for tagged events; lz4 on a Node without zlib zstd, i.e. Node 20)',
    schema: { enum: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] },
    commands: ['worker'],
  },
  {
    key: 'saslMechanism',
    flag: '--sasl-mechanism <m>',
    env: 'FAULTLINE_KAFKA_SASL_MECHANISM',
    help: 'plain, scram-sha-256 or scram-sha-512 (unset: no SASL)',
    schema: { enum: ['plain', 'scram-sha-256', 'scram-sha-512'] },
    commands: KAFKA,
  },
  {
    key: 'saslUsername',
    flag: '--sasl-username <user>',
    env: 'FAULTLINE_KAFKA_SASL_USERNAME',
    help: 'SASL user name',
    schema: nonEmpty,
    commands: KAFKA,
  },
  {
    key: 'saslPassword',
    flag: '--sasl-password <password>',
    env: 'FAULTLINE_KAFKA_SASL_PASSWORD',
    help: 'SASL password (prefer the environment variable)',
    schema: nonEmpty,
    secret: true,
    commands: KAFKA,
  },
  {
    key: 'tls',
    flag: '--tls',
    env: 'FAULTLINE_KAFKA_TLS',
    help: 'connect to Kafka with TLS (implied by any TLS file below)',
    schema: { type: 'boolean' },
    default: false,
    commands: KAFKA,
  },
  {
    key: 'tlsCaFile',
    flag: '--tls-ca-file <path>',
    env: 'FAULTLINE_KAFKA_TLS_CA_FILE',
    help: 'PEM file of CA certificates to trust',
    schema: nonEmpty,
    commands: KAFKA,
  },
  {
    key: 'tlsCertFile',
    flag: '--tls-cert-file <path>',
    env: 'FAULTLINE_KAFKA_TLS_CERT_FILE',
    help: 'PEM client certificate (mutual TLS)',
    schema: nonEmpty,
    commands: KAFKA,
  },
  {
    key: 'tlsKeyFile',
    flag: '--tls-key-file <path>',
    env: 'FAULTLINE_KAFKA_TLS_KEY_FILE',
    help: 'PEM client private key (mutual TLS)',
    schema: nonEmpty,
    commands: KAFKA,
  },
  {
    key: 'metricsPort',
    flag: '--metrics-port <port>',
    env: 'FAULTLINE_METRICS_PORT',
    help: 'HTTP port for /metrics, /healthz and /readyz (0: any free port)',
    schema: port,
    default: 9464,
    commands: KAFKA,
  },
  {
    key: 'metricsHost',
    flag: '--metrics-host <addr>',
    env: 'FAULTLINE_METRICS_HOST',
    help: 'address the HTTP server listens on',
    schema: nonEmpty,
    default: '0.0.0.0',
    commands: KAFKA,
  },
  {
    key: 'unknownTemplates',
    flag: '--unknown-templates <bool>',
    env: 'FAULTLINE_UNKNOWN_TEMPLATES',
    help: 'mine templates of unmatched error and warning records, served at /templates (true/false)',
    schema: { type: 'boolean' },
    default: true,
    commands: KAFKA,
  },
  {
    key: 'unknownTemplatesMax',
    flag: '--unknown-templates-max <n>',
    env: 'FAULTLINE_UNKNOWN_TEMPLATES_MAX',
    help: 'templates of unknown errors kept at once; the least recently seen is dropped first',
    schema: { ...positiveInt, maximum: 100000 },
    default: 2000,
    commands: KAFKA,
  },
  {
    key: 'serviceLabelLimit',
    flag: '--service-label-limit <n>',
    env: 'FAULTLINE_SERVICE_LABEL_LIMIT',
    help: 'distinct service label values before new services are counted as "other"',
    schema: { ...positiveInt, maximum: 100000 },
    default: 200,
    commands: KAFKA,
  },
  {
    key: 'readyBrokerDownMs',
    flag: '--ready-broker-down-ms <ms>',
    env: 'FAULTLINE_READY_BROKER_DOWN_MS',
    help: '/readyz reports not ready once the broker has been unreachable this long',
    schema: { type: 'integer', minimum: 0, maximum: 3600000 },
    default: 30000,
    commands: KAFKA,
  },
  {
    key: 'healthMaxLoopLagMs',
    flag: '--health-max-loop-lag-ms <ms>',
    env: 'FAULTLINE_HEALTH_MAX_LOOP_LAG_MS',
    help: '/healthz reports unhealthy while the event loop lags more than this',
    schema: { type: 'integer', minimum: 100, maximum: 600000 },
    default: 5000,
    commands: KAFKA,
  },
  {
    key: 'tuning',
    flag: '--tuning <json>',
    env: 'FAULTLINE_TUNING',
    help: 'internal worker knobs as JSON, for benchmarks and tests: topicRefreshMs, partitionsConsumedConcurrently, sessionTimeoutMs, heartbeatIntervalMs, maxBytesPerPartition, maxWriteBytes',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        ['topicRefreshMs', 'partitionsConsumedConcurrently', 'sessionTimeoutMs', 'heartbeatIntervalMs', 'maxBytesPerPartition', 'maxWriteBytes'].map(
          (k) => [k, positiveInt],
        ),
      ),
    },
    json: true,
    commands: KAFKA,
  },
  // The demo producer (`node dist/demo/main.js`; docker-compose.yml, `npm run demo`).
  {
    key: 'topic',
    flag: '--topic <name>',
    env: 'FAULTLINE_DEMO_TOPIC',
    help: 'topic the demo producer writes its logs to',
    schema: topicName,
    default: 'logs.app',
    commands: ['demo'],
  },
  {
    key: 'partitions',
    flag: '--partitions <n>',
    env: 'FAULTLINE_DEMO_PARTITIONS',
    help: 'partitions of the demo topic when the producer creates it',
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
    default: 3,
    commands: ['demo'],
  },
  {
    key: 'rate',
    flag: '--rate <n>',
    env: 'FAULTLINE_DEMO_RATE',
    help: 'ordinary log lines per second from the demo producer',
    schema: { type: 'number', minimum: 0, maximum: 2000 },
    default: 20,
    commands: ['demo'],
  },
  {
    key: 'burstEvery',
    flag: '--burst-every <s>',
    env: 'FAULTLINE_DEMO_BURST_EVERY',
    help: 'seconds between the demo producer\'s incidents (bursts of real error signatures)',
    schema: { type: 'number', minimum: 1, maximum: 3600 },
    default: 15,
    commands: ['demo'],
  },
  {
    key: 'burstSize',
    flag: '--burst-size <n>',
    env: 'FAULTLINE_DEMO_BURST_SIZE',
    help: 'signature lines per demo incident',
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
    default: 30,
    commands: ['demo'],
  },
  {
    key: 'seed',
    flag: '--seed <n>',
    env: 'FAULTLINE_DEMO_SEED',
    help: 'random seed of the demo producer (default: time-based)',
    schema: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
    commands: ['demo'],
  },
  {
    key: 'duration',
    flag: '--duration <s>',
    env: 'FAULTLINE_DEMO_DURATION',
    help: 'the demo producer stops by itself after this many seconds (default: on SIGTERM/SIGINT)',
    schema: { type: 'number', minimum: 1, maximum: 7 * 24 * 3600 },
    commands: ['demo'],
  },
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'FAULTLINE_LOG_LEVEL',
    help: 'pino log level',
    schema: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    default: 'info',
    commands: ALL,
  },
];
