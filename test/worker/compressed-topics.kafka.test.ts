// One consumer group over five topics written by kcat (librdkafka) with each compression codec:
// every topic's tagged output is exactly what its records call for, and the group commits the
// end of every partition. Before the codecs were registered, one lz4 topic stalled them all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { loadRules } from '../../src/kb/load.js';
import { brokerList, committedOffsets, createTopic, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { checkDeadLetters, checkOutputs, endOffsets, parseOutputs, placeRecords, type Placed } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw } from './support/kcat-io.js';
import { generateMixedRecords } from './support/mixed-records.js';
import { firstSegment, localSegments, segmentBatches } from './support/segment-file.js';
import { MAX_RECORD_BYTES, memoryLogger, RULES_DIR } from './support/setup.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];

interface CodecTopic {
  codec: Codec;
  topic: string;
  placed: Map<string, Placed>;
  ends: Map<number, number>;
}

describe('one group over topics written with every codec', () => {
  const topics: CodecTopic[] = [];
  let output: string;
  let dlq: string;
  const groupId = uniqueTopicName('group-codecs');
  let worker: WorkerHandle | undefined;
  const log = memoryLogger('info');

  beforeAll(async () => {
    const { rules } = await loadRules([RULES_DIR]);
    output = await createTopic({ prefix: 'codecs-out', partitions: 3 });
    dlq = await createTopic({ prefix: 'codecs-dlq', partitions: 1 });
    for (const [i, codec] of CODECS.entries()) {
      const topic = await createTopic({ prefix: `logs-${codec}`, partitions: 2 });
      const records = generateMixedRecords({ count: 1500, seed: 100 + i, maxRecordBytes: MAX_RECORD_BYTES }, rules);
      await kcatProduceRaw(topic, records.map((r) => ({ key: r.key, value: r.value })), 120_000, codec);
      const back = await kcatConsumeRaw(topic);
      topics.push({ codec, topic, placed: placeRecords(records, back), ends: endOffsets(back) });
    }
    const config = resolveConfig('worker', {}, {
      KAFKA_BROKERS: brokerList().join(','),
      FAULTLINE_INPUT_TOPICS: topics.map((t) => t.topic).join(','),
      FAULTLINE_OUTPUT_TOPIC: output,
      FAULTLINE_DLQ_TOPIC: dlq,
      FAULTLINE_GROUP_ID: groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
      FAULTLINE_RULES: RULES_DIR,
    });
    worker = await runWorker(config, { logger: log.logger });
    await worker.started;
    await waitUntil(
      async () => {
        for (const t of topics) {
          const committed = await committedOffsets(groupId, t.topic);
          if (![...t.ends].every(([p, end]) => committed.get(p) === end)) return false;
        }
        return true;
      },
      { timeoutMs: 240_000, intervalMs: 1000, what: `group ${groupId} to commit the end of all five topics` },
    );
    await worker.stop('test done');
    worker = undefined;
  }, 420_000);

  afterAll(async () => {
    await worker?.stop('cleanup');
  });

  it.runIf(localSegments())('the input topics really are compressed with their codec (the broker\'s segments say so)', async () => {
    for (const [id, codec] of CODECS.entries()) {
      const t = topics.find((x) => x.codec === codec)!;
      const batches = segmentBatches(await firstSegment(t.topic, 0));
      expect(batches.length, t.topic).toBeGreaterThan(1);
      // librdkafka sends a batch uncompressed when compressing does not make it smaller (a
      // batch of one or two short records): those may be codec 0; every other is the topic's.
      if (id === 0) {
        expect(new Set(batches.map((b) => b.codec)), t.topic).toEqual(new Set([0]));
        continue;
      }
      expect(new Set(batches.map((b) => b.codec).filter((c) => c !== 0)), t.topic).toEqual(new Set([id]));
      const records = (c: number) => batches.filter((b) => b.codec === c).reduce((n, b) => n + b.records, 0);
      expect(records(id), t.topic).toBeGreaterThan(9 * records(0));
    }
  });

  it('no partition stalled', () => {
    expect(log.lines().filter((l) => l.event === 'partition-stalled')).toEqual([]);
  });

  for (const codec of CODECS) {
    it(`${codec}: exactly the expected tagged events and dead letters`, async () => {
      const t = topics.find((x) => x.codec === codec)!;
      const outputs = parseOutputs(await kcatConsumeJson(output)).filter((o) => o.source.topic === t.topic);
      checkOutputs(outputs, t.placed, t.topic, { emitAll: false, allowDuplicates: false });
      const [raw, json] = await Promise.all([kcatConsumeRaw(dlq), kcatConsumeJson(dlq)]);
      const mine = new Set(json.filter((m) => m.headers[DLQ_HEADERS.topic] === t.topic).map((m) => `${m.partition}@${m.offset}`));
      checkDeadLetters(
        raw.filter((m) => mine.has(`${m.partition}@${m.offset}`)),
        json.filter((m) => mine.has(`${m.partition}@${m.offset}`)),
        t.placed,
        t.topic,
        { allowDuplicates: false },
      );
    }, 120_000);
  }

  it('never took a codec for a broker outage', () => {
    const events = log.lines().map((l) => l.event);
    expect(events).not.toContain('broker-unreachable');
    expect(events).not.toContain('consumer-crash');
  });
});
