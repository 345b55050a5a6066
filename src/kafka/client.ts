import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../config/config.js';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { registerCodecs } from './codecs/registry.js';
import { installFetchGuard } from './fetch-guard.js';
import { installIdleRequestQueue } from './idle-request-queue.js';

/** The connection settings of Config that the Kafka client needs. */
export type KafkaConnection = Pick<
  Config,
  'brokers' | 'clientId' | 'saslMechanism' | 'saslUsername' | 'saslPassword' | 'tls' | 'tlsCaFile' | 'tlsCertFile' | 'tlsKeyFile'
>;

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where the client's own log lines go (the worker routes them to pino, rate-limited). */
export type KafkaLog = (level: KafkaLogLevel, namespace: string, message: string, extra: Record<string, unknown>) => void;

export class KafkaSetupError extends Error {
  override name = 'KafkaSetupError';
}

const LEVEL_NAME: Record<number, KafkaLogLevel> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

const CLIENT_LEVEL: Record<KafkaLogLevel, logLevel> = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * A client for the configured cluster. `verbosity` is the lowest client log level passed on:
 * kafkajs at debug logs every request, so it is only worth enabling when chasing a problem.
 */
export function createKafka(conn: KafkaConnection, log: KafkaLog, verbosity: KafkaLogLevel = 'warn'): Kafka {
  // Both process-wide and idempotent: snappy, lz4 and zstd next to kafkajs' gzip, and one
  // unreadable batch stalling its partition only (./fetch-guard.ts), before any fetch.
  registerCodecs();
  installFetchGuard();
  installIdleRequestQueue();
  return new Kafka(kafkaConfig(conn, log, verbosity));
}

/** The kafkajs settings of a connection: brokers, timeouts, logging, TLS and SASL. */
export function kafkaConfig(conn: KafkaConnection, log: KafkaLog, verbosity: KafkaLogLevel): KafkaConfig {
  const config: KafkaConfig = {
    brokers: conn.brokers,
    clientId: conn.clientId,
    // A broker restart or a cold TLS handshake takes longer than kafkajs' 1 s default.
    connectionTimeout: 5000,
    requestTimeout: 30000,
    logLevel: CLIENT_LEVEL[verbosity],
    logCreator: () => (entry: LogEntry) => {
      const { message, timestamp: _t, logger: _l, ...extra } = entry.log;
      log(LEVEL_NAME[entry.level] ?? 'debug', entry.namespace, String(message), extra);
    },
  };
  const ssl = tlsOptions(conn);
  if (ssl !== undefined) config.ssl = ssl;
  const sasl = saslOptions(conn);
  if (sasl !== undefined) config.sasl = sasl;
  return config;
}

export function tlsOptions(conn: KafkaConnection): ConnectionOptions | boolean | undefined {
  if (!conn.tls && conn.tlsCaFile === undefined && conn.tlsCertFile === undefined) return undefined;
  const files: ConnectionOptions = {};
  if (conn.tlsCaFile !== undefined) files.ca = [readPem(conn.tlsCaFile, 'FAULTLINE_KAFKA_TLS_CA_FILE')];
  if (conn.tlsCertFile !== undefined) files.cert = readPem(conn.tlsCertFile, 'FAULTLINE_KAFKA_TLS_CERT_FILE');
  if (conn.tlsKeyFile !== undefined) files.key = readPem(conn.tlsKeyFile, 'FAULTLINE_KAFKA_TLS_KEY_FILE');
  return Object.keys(files).length > 0 ? files : true;
}

export function saslOptions(conn: KafkaConnection): SASLOptions | undefined {
  if (conn.saslMechanism === undefined) return undefined;
  if (conn.saslUsername === undefined || conn.saslPassword === undefined) {
    throw new KafkaSetupError(`SASL ${conn.saslMechanism} needs a user name and a password`);
  }
  const credentials = { username: conn.saslUsername, password: conn.saslPassword };
  switch (conn.saslMechanism) {
    case 'plain':
      return { mechanism: 'plain', ...credentials };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', ...credentials };
  }
}

function readPem(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new KafkaSetupError(`${setting}: cannot read ${path}: ${(err as Error).message}`);
  }
}
