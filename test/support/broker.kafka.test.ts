// Smoke tests of the test broker itself: two independent clients (kcat/librdkafka and kafkajs)
// agree on what is in a 4-partition topic, the broker is the Kafka release the setup promised,
// and, where allowed, a restart keeps data.
import { Partitioners, type Consumer } from 'kafkajs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { fetchApiVersions, releaseOfMetadataLevel } from './api-versions.js';
import {
  committedOffsets,
  createTopic,
  kafkaBroker,
  kcatConsume,
  kcatProduce,
  killBroker,
  newKafka,
  restartBroker,
  startBroker,
  waitUntil,
} from './kafka.js';

const COUNT = 1_000;
const PARTITIONS = 4;

const messages = Array.from({ length: COUNT }, (_, i) => ({ key: `key-${i % 97}`, value: `value-${i}` }));

/** Where kafkajs' default (Java-compatible murmur2) partitioner puts a key. */
function javaPartitionOf(topic: string, key: string): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
  return partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

describe('test broker', () => {
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.disconnect();
    consumer = undefined;
  });

  it('is handed to tests and to child processes', () => {
    const broker = inject('kafka');
    expect(broker.brokers.length).toBeGreaterThan(0);
    expect(process.env.KAFKA_BROKERS).toBe(broker.brokers.join(','));
  });

  it('reads back with kafkajs what kcat produced', async () => {
    const topic = await createTopic({ partitions: PARTITIONS, prefix: 'smoke-kcat-to-kafkajs' });
    await kcatProduce(topic, messages);

    const groupId = `${topic}-group`;
    // disconnect() waits for the fetch in flight, which long-polls maxWaitTimeInMs (5 s default).
    consumer = newKafka().consumer({ groupId, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: Array<{ key: string; value: string; partition: number }> = [];
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', partition });
      },
    });
    await waitUntil(() => seen.length >= COUNT, { timeoutMs: 30_000, what: `${COUNT} messages via kafkajs` });

    expect(seen.map((m) => m.value).sort()).toEqual(messages.map((m) => m.value).sort());
    for (const m of seen) expect(m.partition, m.key).toBe(javaPartitionOf(topic, m.key));
    expect(new Set(seen.map((m) => m.partition)).size).toBe(PARTITIONS);

    // Offsets are committed on disconnect at the latest; all of them, on every partition.
    await consumer.disconnect();
    consumer = undefined;
    const offsets = await waitUntil(
      async () => {
        const committed = await committedOffsets(groupId, topic);
        const total = [...committed.values()].reduce((a, b) => a + Math.max(b, 0), 0);
        return total === COUNT ? committed : undefined;
      },
      { timeoutMs: 15_000, what: 'committed offsets to cover every message' },
    );
    expect(offsets.size).toBe(PARTITIONS);
  });

  it('reads back with kcat what kafkajs produced', async () => {
    const topic = await createTopic({ partitions: PARTITIONS, prefix: 'smoke-kafkajs-to-kcat' });
    const producer = newKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages });
    } finally {
      await producer.disconnect();
    }

    const got = await kcatConsume(topic, { count: COUNT, timeoutMs: 30_000 });
    expect(got).toHaveLength(COUNT);
    expect(got.map((m) => m.value).sort()).toEqual(messages.map((m) => m.value).sort());
    for (const m of got) expect(m.partition, m.key ?? '').toBe(javaPartitionOf(topic, m.key ?? ''));
    // Per partition, kcat sees kafkajs' send order.
    for (let p = 0; p < PARTITIONS; p++) {
      const inPartition = got.filter((m) => m.partition === p);
      const sentOrder = messages.filter((m) => javaPartitionOf(topic, m.key) === p).map((m) => m.value);
      expect(inPartition.map((m) => m.value)).toEqual(sentOrder);
    }
  });

  it('is the Kafka release the setup chose (ApiVersions + describeCluster)', async () => {
    const broker = kafkaBroker();
    const [bootstrap] = broker.brokers;
    expect(bootstrap).toBeDefined();
    const answer = await fetchApiVersions(bootstrap!);
    expect(answer.errorCode).toBe(0);
    const level = answer.finalizedFeatures.get('metadata.version');
    expect(level, 'KRaft brokers finalize metadata.version').toBeDefined();
    const release = releaseOfMetadataLevel(level!);
    if (broker.version !== null) {
      expect(release, `metadata.version level ${level}`).toBe(broker.version.split('.').slice(0, 2).join('.'));
    } else {
      expect(release, `metadata.version level ${level} is newer than test/support/api-versions.ts knows`).not.toBeNull();
    }

    const admin = newKafka().admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(cluster.brokers.length).toBeGreaterThan(0);
      if (broker.source !== 'env') {
        expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([bootstrap]);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it.runIf(kafkaBroker().restartable)('keeps topics and data across a restart and a crash', async () => {
    const topic = await createTopic({ partitions: 2, prefix: 'smoke-restart' });
    await kcatProduce(topic, ['before-restart']);
    await restartBroker();
    await kcatProduce(topic, ['before-crash']);
    await killBroker();
    await startBroker();
    await kcatProduce(topic, ['after-crash']);
    const got = await kcatConsume(topic, { count: 3, timeoutMs: 30_000 });
    expect(got.map((m) => m.value).sort()).toEqual(['after-crash', 'before-crash', 'before-restart']);
  });
});
