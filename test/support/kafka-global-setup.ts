// vitest globalSetup of the "kafka" project: one broker for the whole run, handed to tests with
// provide('kafka') and to child processes (the worker under test, kcat) via KAFKA_BROKERS.
import type { TestProject } from 'vitest/node';
import { discoverBroker } from './discover-broker.js';
import { warmUpGroupCoordinator } from './kafka-warmup.js';
import './kafka-context.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const { info, release } = await discoverBroker();
  try {
    await warmUpGroupCoordinator(info.brokers);
  } catch (err) {
    await release();
    throw err;
  }
  project.provide('kafka', info);
  process.env.KAFKA_BROKERS = info.brokers.join(',');
  // kafkajs warns about its v2 partitioner change on every producer; tests know.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const how = info.source === 'script' ? 'scripts/kafka' : info.source === 'env' ? 'KAFKA_BROKERS' : 'testcontainers';
  console.log(
    `kafka tests: ${info.brokers.join(',')} (Kafka ${info.version ?? '?'} via ${how}, ready in ${Date.now() - started} ms)`,
  );
  return release;
}
