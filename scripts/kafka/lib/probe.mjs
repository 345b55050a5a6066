// Readiness probe for kafka.sh when kcat is not installed: one real metadata round trip.
// Exit 0 = the broker answered. Usage: node probe.mjs host:port
/* global process */
import { Kafka, logLevel } from 'kafkajs';

const admin = new Kafka({
  clientId: 'faultline-kafka-probe',
  brokers: [process.argv[2] ?? '127.0.0.1:9092'],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
}).admin();

try {
  await admin.connect();
  await admin.describeCluster();
  process.exitCode = 0;
} catch {
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
