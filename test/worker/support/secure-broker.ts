// A second broker for the SASL/TLS tests: scripts/kafka with KAFKA_SECURE=1 (SASL_SSL, mutual
// TLS and an expired-certificate listener beside PLAINTEXT, CA and certificates made by openssl at
// start). Its own port, so the run's shared broker (whatever its source: script, testcontainers,
// KAFKA_BROKERS) stays as it is; held through a lease like the shared one, so it is stopped when
// the last test run that needed it ends, if a test run started it.
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TEST_NUM_PARTITIONS } from '../../support/discover-broker.js';
import { runKafkaScript, scriptSettings } from '../../support/kafka-script.js';
import { committedOffsets, uniqueTopicName } from '../../support/kafka.js';
import type { KcatTarget } from './kcat-io.js';

/** Beside the shared broker's client and controller ports (KAFKA_TEST_PORT, +1): +5 to +9. */
const SECURE_PORT_OFFSET = 5;

export interface SecureBroker {
  version: string;
  /** The broker's PLAINTEXT listener: topic set-up and offset checks, not the worker. */
  plaintext: string;
  /** SASL_SSL: SCRAM-SHA-512 and PLAIN over TLS. */
  saslSsl: string;
  /** SSL with a client certificate required. */
  mtls: string;
  /** SSL whose server certificate expired yesterday. */
  expired: string;
  user: string;
  password: string;
  /** PEM files made at start: ca, other-ca (signed nothing here), client(-expired|-other). */
  file(name: string): string;
  release(): Promise<void>;
}

export function secureBrokerPort(env: NodeJS.ProcessEnv = process.env): number {
  if (env.KAFKA_SECURE_TEST_PORT) return Number(env.KAFKA_SECURE_TEST_PORT);
  return Number(env.KAFKA_TEST_PORT ?? '19092') + SECURE_PORT_OFFSET;
}

/** Starts (or joins) the secured broker; the Kafka release is the run's (KAFKA_VERSION). */
export async function acquireSecureBroker(env: NodeJS.ProcessEnv = process.env): Promise<SecureBroker> {
  const scriptEnv = {
    KAFKA_PORT: String(secureBrokerPort(env)),
    KAFKA_VERSION: env.KAFKA_VERSION ?? '',
    KAFKA_NUM_PARTITIONS: String(TEST_NUM_PARTITIONS),
    KAFKA_SECURE: '1',
    ...(env.FAULTLINE_CACHE_DIR ? { FAULTLINE_CACHE_DIR: env.FAULTLINE_CACHE_DIR } : {}),
  };
  const holder = String(process.pid);
  await runKafkaScript(['acquire', holder], scriptEnv);
  const s = await scriptSettings(scriptEnv);
  const need = (k: string): string => {
    const v = s[k];
    if (v === undefined || v === '') throw new Error(`kafka.sh env printed no ${k}`);
    return v;
  };
  const tlsDir = need('KAFKA_TLS_DIR');
  return {
    version: need('KAFKA_VERSION'),
    plaintext: need('KAFKA_BOOTSTRAP'),
    saslSsl: need('KAFKA_SASL_SSL_BOOTSTRAP'),
    mtls: need('KAFKA_MTLS_BOOTSTRAP'),
    expired: need('KAFKA_EXPIRED_BOOTSTRAP'),
    // scripts/kafka/lib/config.sh's defaults: a test user of a loopback broker, not a secret.
    user: 'faultline',
    password: 'faultline-test-secret',
    file: (name) => join(tlsDir, name),
    release: async () => {
      await runKafkaScript(['release', holder], scriptEnv, 120_000);
    },
  };
}

/**
 * kcat over the SASL_SSL listener. SCRAM only where Debian's kcat can log in with it (Kafka 3.x):
 * its librdkafka 2.0.2 repeats the client nonce in the SCRAM client-final message (fixed in
 * librdkafka 2.6.1, #4895), which Kafka 3.8.1–3.9 tolerate and Kafka 4.x refuses as invalid
 * credentials. PLAIN goes over the same listener and TLS.
 */
export function kcatSasl(b: SecureBroker, mechanism: 'SCRAM-SHA-512' | 'PLAIN'): KcatTarget {
  return {
    brokers: b.saslSsl,
    settings: {
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': mechanism,
      'sasl.username': b.user,
      'sasl.password': b.password,
      'ssl.ca.location': b.file('ca.pem'),
    },
  };
}

/** SCRAM-SHA-512 for kcat where it works (see kcatSasl), else PLAIN. */
export function kcatScramIfSupported(b: SecureBroker): KcatTarget {
  return kcatSasl(b, b.version.startsWith('3.') ? 'SCRAM-SHA-512' : 'PLAIN');
}

/** kcat over the mutual-TLS listener with the CA-signed client certificate. */
export function kcatMtls(b: SecureBroker): KcatTarget {
  return {
    brokers: b.mtls,
    settings: {
      'security.protocol': 'SSL',
      'ssl.ca.location': b.file('ca.pem'),
      'ssl.certificate.location': b.file('client.pem'),
      'ssl.key.location': b.file('client.key'),
    },
  };
}

/** A kafkajs client on the secured broker's PLAINTEXT listener (set-up and checks only). */
export function plaintextKafka(b: SecureBroker): Kafka {
  return new Kafka({ brokers: [b.plaintext], clientId: 'faultline-secure-tests', logLevel: logLevel.NOTHING });
}

/** Fresh input, output and DLQ topics on the secured broker. */
export async function createSecureTopics(b: SecureBroker, label: string): Promise<{ input: string; output: string; dlq: string; groupId: string }> {
  const names = {
    input: uniqueTopicName(`logs-${label}`),
    output: uniqueTopicName(`matches-${label}`),
    dlq: uniqueTopicName(`dlq-${label}`),
    groupId: uniqueTopicName(`group-${label}`),
  };
  const admin = plaintextKafka(b).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: names.input, numPartitions: 4 },
        { topic: names.output, numPartitions: 3 },
        { topic: names.dlq, numPartitions: 2 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  return names;
}

/** The group's committed offsets per partition of `topic` (-1 = none), read over PLAINTEXT. */
export function committedOn(b: SecureBroker, groupId: string, topic: string): Promise<Map<number, number>> {
  return committedOffsets(groupId, topic, plaintextKafka(b));
}
