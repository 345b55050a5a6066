// A write the broker refuses although faultline thought it fits (FAULTLINE_MAX_MESSAGE_BYTES
// above the output topic's real max.message.bytes): the broker's MESSAGE_TOO_LARGE dead-letters
// that one record as output-refused; the consumer is not restarted and nothing is reported as
// an outage; the records beside it in the same produce request are written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { committedOffsets, createTopic, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw, type JsonMessage, type RawMessage } from './support/kcat-io.js';
import { RULES_DIR } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const OUTPUT_MAX_BYTES = 20_000;

describe('a write the broker refuses', () => {
  let input: string;
  let output: string;
  let dlq: string;
  const groupId = uniqueTopicName('group');
  let worker: WorkerProcess | undefined;
  let inputBack: RawMessage[] = [];
  let outputs: JsonMessage[] = [];
  let deadLetters: JsonMessage[] = [];

  beforeAll(async () => {
    input = await createTopic({ prefix: 'logs', partitions: 2 });
    output = await createTopic({ prefix: 'matches', partitions: 2, configs: { 'max.message.bytes': String(OUTPUT_MAX_BYTES) } });
    dlq = await createTopic({ prefix: 'dlq', partitions: 1 });
    const records = Array.from({ length: 200 }, (_, i) => ({
      key: i === 77 ? 'big-77' : `ok-${i}`,
      value: Buffer.from(`2024-05-01 12:00:00 INFO line ${i} ${i === 77 ? 'long line '.repeat(2500) : ''}`),
    }));
    await kcatProduceRaw(input, records);
    inputBack = await waitUntil(async () => {
      const back = await kcatConsumeRaw(input);
      return back.length === 200 ? back : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'the input readable' });

    worker = startWorkerProcess({
      FAULTLINE_INPUT_TOPICS: input,
      FAULTLINE_OUTPUT_TOPIC: output,
      FAULTLINE_DLQ_TOPIC: dlq,
      FAULTLINE_GROUP_ID: groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_EMIT: 'all',
      FAULTLINE_RULES: RULES_DIR,
      // Wrong on purpose: the broker's limit for the output topic is 20,000.
      FAULTLINE_MAX_MESSAGE_BYTES: '1000000',
      // The broker measures batches as written: compressed, the repeated text would fit.
      FAULTLINE_OUTPUT_COMPRESSION: 'none',
    });
    const ends = new Map<number, number>();
    for (const m of inputBack) ends.set(m.partition, Math.max(ends.get(m.partition) ?? 0, m.offset + 1));
    await waitUntil(async () => {
      const committed = await committedOffsets(groupId, input);
      return [...ends].every(([p, end]) => committed.get(p) === end);
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'commits at the end of the input' });
    [outputs, deadLetters] = await Promise.all([kcatConsumeJson(output), kcatConsumeJson(dlq)]);
  }, 300_000);

  afterAll(async () => {
    await killWorker(worker);
  });

  it('dead-letters the refused record with the broker error and writes every other one', () => {
    const written = outputs.map((m) => String(m.key)).sort();
    expect(written).toEqual(inputBack.map((m) => String(m.key)).filter((k) => k !== 'big-77').sort());
    expect(deadLetters.map((m) => [m.key, m.headers[DLQ_HEADERS.reason]])).toEqual([['big-77', 'output-refused']]);
    expect(deadLetters[0]?.headers[DLQ_HEADERS.error]).toMatch(/^MESSAGE_TOO_LARGE: /);
  });

  it('neither restarts the consumer nor reports Kafka as unreachable', () => {
    const logs = worker?.logs ?? [];
    expect(logs.filter((l) => l.event === 'consumer-crash' || /unreachable/i.test(l.msg))).toEqual([]);
    expect(logs.filter((l) => l.event === 'group-joined')).toHaveLength(1);
    expect(logs.filter((l) => l.event === 'dead-letter').map((l) => l.reason)).toEqual(['output-refused']);
  });
});
