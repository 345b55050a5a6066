import type { Admin, Kafka, KafkaJSError } from 'kafkajs';
import { JavaCompatiblePartitioner } from '../kafka/partitioner.js';
import type { Logger } from '../log.js';
import type { DemoRecord, DemoSchedule } from './schedule.js';

export interface ProducerStats {
  sent: number;
  /** Lines sent per kind: background, or the signal they show. */
  byKind: Record<string, number>;
  failedSends: number;
}

export interface ProducerRun {
  kafka: Kafka;
  topic: string;
  partitions: number;
  schedule: DemoSchedule;
  logger: Logger;
  /** Stops the loop; the batch in flight is still sent. */
  signal: AbortSignal;
  tickMs?: number;
  now?: () => number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** Creates the topic if it is missing (a worker subscribed by pattern sees it at once). */
async function ensureTopic(kafka: Kafka, topic: string, partitions: number, signal: AbortSignal): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      // Resolves false if it exists by now (the worker subscribed to it may have had it
      // auto-created); a retriable error is left to the wait below, which sees the topic or not.
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false }).catch((err: KafkaJSError) => {
        if (err.retriable !== true) throw err;
      });
    }
    await waitForLeaders(admin, topic, signal);
  } finally {
    await admin.disconnect();
  }
}

/**
 * A new topic's partitions have no leader for a moment, longer on a busy machine, and kafkajs's
 * own `waitForLeaders` gives up with "This server does not host this topic-partition". Retriable
 * errors and missing leaders are waited out here, for at most a minute.
 */
async function waitForLeaders(admin: Admin, topic: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = 'no metadata yet';
  while (!signal.aborted) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const parts = topics[0]?.partitions ?? [];
      if (parts.length > 0 && parts.every((p) => p.leader >= 0)) return;
      last = `${parts.filter((p) => p.leader < 0).length} of ${parts.length} partitions without a leader`;
    } catch (err) {
      if ((err as KafkaJSError).retriable !== true) throw err;
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} is not ready after 60 s: ${last}`);
    await sleep(500, signal);
  }
}

/**
 * Sends the schedule's records to `topic` until `signal` aborts. A failed send (broker away) is
 * logged and skipped: the demo goes on with the next tick rather than piling lines up.
 */
export async function runDemoProducer(run: ProducerRun): Promise<ProducerStats> {
  const { kafka, topic, schedule, logger, signal } = run;
  const now = run.now ?? Date.now;
  const stats: ProducerStats = { sent: 0, byKind: {}, failedSends: 0 };
  await ensureTopic(kafka, topic, run.partitions, signal);
  const producer = kafka.producer({ createPartitioner: JavaCompatiblePartitioner });
  await producer.connect();
  logger.info({ event: 'demo-started', topic }, `writing demo logs to ${topic}`);
  let lastReport = now();
  try {
    while (!signal.aborted) {
      const records = schedule.due(now());
      if (records.length > 0) await send(records);
      if (now() - lastReport >= 10_000) {
        lastReport = now();
        logger.info({ event: 'demo-progress', ...stats }, `sent ${stats.sent} lines`);
      }
      await sleep(run.tickMs ?? 200, signal);
    }
  } finally {
    await producer.disconnect();
  }
  logger.info({ event: 'demo-stopped', ...stats }, `stopped after ${stats.sent} lines`);
  return stats;

  async function send(records: DemoRecord[]): Promise<void> {
    try {
      await producer.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
      stats.sent += records.length;
      for (const r of records) stats.byKind[r.kind] = (stats.byKind[r.kind] ?? 0) + 1;
    } catch (err) {
      stats.failedSends++;
      logger.warn({ event: 'demo-send-failed', error: (err as Error).message, lines: records.length }, 'send failed: lines skipped');
    }
  }
}
