import { Kafka, logLevel } from 'kafkajs';
import { registerCodecs } from '../src/kafka/codecs/registry.js';

/** One tagged event as the demo shows it: one line, what an SRE reads first. */
export interface EventSummary {
  time: string;
  service: string;
  errorId: string;
  rootCause: string;
  workaround: string;
}

interface Tagged {
  faultline?: {
    service?: string;
    matches?: { id?: string; root_cause?: string; workaround?: { action?: string } }[];
    source?: { timestamp?: string };
  };
}

/** The summary of a record of the worker's output topic, or undefined if it is not one. */
export function summarise(value: string, fallbackTime: Date): EventSummary | undefined {
  let doc: Tagged;
  try {
    doc = JSON.parse(value) as Tagged;
  } catch {
    return undefined;
  }
  const first = doc.faultline?.matches?.[0];
  if (first?.id === undefined) return undefined;
  const ts = Number(doc.faultline?.source?.timestamp);
  const time = Number.isFinite(ts) && ts > 0 ? new Date(ts) : fallbackTime;
  return {
    time: time.toISOString().slice(11, 19),
    service: doc.faultline?.service ?? 'unknown',
    errorId: first.id,
    rootCause: first.root_cause ?? '',
    workaround: first.workaround?.action ?? '',
  };
}

/** The first sentence, at most `max` characters: one line per event, even in a pipe. */
function brief(text: string, max: number): string {
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

export function eventLine(e: EventSummary): string {
  return `${e.time}  ${e.service.padEnd(10)} ${e.errorId}  cause: ${brief(e.rootCause, 100)}  fix: ${brief(e.workaround, 80)}`;
}

/**
 * Follows the worker's output topic from its end (a group of its own per run), calling `onEvent`
 * for every tagged event. stop() leaves the group.
 */
export async function followTaggedEvents(brokers: string, topic: string, onEvent: (e: EventSummary) => void): Promise<{ stop(): Promise<void> }> {
  // The worker compresses its output (zstd, lz4 on Node 20): kafkajs reads neither by itself.
  registerCodecs();
  const kafka = new Kafka({ clientId: 'faultline-demo-viewer', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `faultline-demo-viewer-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const e = summarise(message.value?.toString('utf8') ?? '', new Date());
      if (e !== undefined) onEvent(e);
    },
  });
  return { stop: () => consumer.disconnect() };
}
