// A partition made unreadable on purpose, in the broker's own segment files (as disk damage or a
// codec nobody knows would make it): that partition alone stalls, at the bad batch, with a log
// line, a metric and a /readyz reason; every other partition and topic is worked to its end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { startOps, type Ops } from '../../src/http/ops.js';
import { loadRules } from '../../src/kb/load.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { brokerList, committedOffsets, createTopic, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { checkDeadLetters, checkOutputs, endOffsets, parseOutputs, placeRecords, type Placed } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw } from './support/kcat-io.js';
import { generateMixedRecords } from './support/mixed-records.js';
import { firstSegment, localSegments, patchSegment, segmentBatches } from './support/segment-file.js';
import { MAX_RECORD_BYTES, memoryLogger, RULES_DIR } from './support/setup.js';

interface Input {
  topic: string;
  placed: Map<string, Placed>;
  ends: Map<number, number>;
}

async function produce(prefix: string, partitions: number, count: number, seed: number, codec: 'lz4' | 'gzip'): Promise<Input> {
  const { rules } = await loadRules([RULES_DIR]);
  const topic = await createTopic({ prefix, partitions });
  const records = generateMixedRecords({ count, seed, maxRecordBytes: MAX_RECORD_BYTES }, rules);
  await kcatProduceRaw(topic, records.map((r) => ({ key: r.key, value: r.value })), 120_000, codec);
  const back = await kcatConsumeRaw(topic);
  return { topic, placed: placeRecords(records, back), ends: endOffsets(back) };
}

/** The records of `input` the worker must have handled: all but those at or past a stall. */
function reachable(input: Input, stalledAt: ReadonlyMap<number, number>): Map<string, Placed> {
  return new Map([...input.placed].filter(([, p]) => p.offset < (stalledAt.get(p.partition) ?? Infinity)));
}

describe.runIf(localSegments())('a partition with a batch the client cannot read', () => {
  let damaged: Input;
  let healthy: Input;
  let output: string;
  let dlq: string;
  const groupId = uniqueTopicName('group-unreadable');
  /** partition → base offset of its unreadable batch. */
  const stalledAt = new Map<number, number>();
  let worker: WorkerHandle | undefined;
  let ops: Ops | undefined;
  const log = memoryLogger('info');
  let readyz: { status: number; body: string };
  let metrics: string;

  beforeAll(async () => {
    damaged = await produce('logs-damaged', 4, 2000, 7, 'lz4');
    healthy = await produce('logs-healthy', 2, 600, 8, 'gzip');
    output = await createTopic({ prefix: 'unreadable-out', partitions: 2 });
    dlq = await createTopic({ prefix: 'unreadable-dlq', partitions: 1 });

    // Partition 1: the third batch's lz4 payload overwritten (its frame magic included).
    const seg1 = await firstSegment(damaged.topic, 1);
    const third = segmentBatches(seg1)[2]!;
    patchSegment(seg1, third.position + 61, Buffer.alloc(16, 0xa5));
    stalledAt.set(1, Number(third.baseOffset));
    // Partition 2: the first batch claims compression codec 6, which Kafka does not define.
    const seg2 = await firstSegment(damaged.topic, 2);
    const first = segmentBatches(seg2)[0]!;
    patchSegment(seg2, first.position + 22, Buffer.from([(3 & ~7) | 6]));
    stalledAt.set(2, Number(first.baseOffset));

    ops = await startOps({ host: '127.0.0.1', port: 0, serviceLabelLimit: 50, brokerDownGraceMs: 30_000, maxLoopLagMs: 5000 });
    const config = resolveConfig('worker', {}, {
      KAFKA_BROKERS: brokerList().join(','),
      FAULTLINE_INPUT_TOPICS: `${damaged.topic},${healthy.topic}`,
      FAULTLINE_OUTPUT_TOPIC: output,
      FAULTLINE_DLQ_TOPIC: dlq,
      FAULTLINE_GROUP_ID: groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
      FAULTLINE_RULES: RULES_DIR,
    });
    worker = await runWorker(config, { logger: log.logger, observer: ops.observer });
    await worker.started;
    const expectedEnd = (input: Input, p: number) => (input === damaged ? stalledAt.get(p) : undefined) ?? input.ends.get(p);
    let state = '';
    await waitUntil(
      async () => {
        state = '';
        for (const input of [damaged, healthy]) {
          const committed = await committedOffsets(groupId, input.topic);
          state += `${input.topic}: committed ${JSON.stringify([...committed])} ends ${JSON.stringify([...input.ends])}; `;
          for (const p of input.ends.keys()) {
            // -1: no offset committed (a partition stalled at its first batch).
            const want = input === damaged && stalledAt.get(p) === 0 ? -1 : expectedEnd(input, p);
            if (committed.get(p) !== want) return false;
          }
        }
        return log.lines().filter((l) => l.event === 'partition-stalled').length >= 2;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: 'the healthy partitions to be committed to their end and two stalls' },
    ).catch((err: unknown) => {
      const tail = log.lines().slice(-12).map((l) => JSON.stringify(l)).join('\n');
      throw new Error(`${(err as Error).message}\nstalled at ${JSON.stringify([...stalledAt])}; ${state}\n${tail}`);
    });
    const res = await fetch(`${ops.server.url}/readyz`);
    readyz = { status: res.status, body: await res.text() };
    metrics = await (await fetch(`${ops.server.url}/metrics`)).text();
  }, 420_000);

  afterAll(async () => {
    await worker?.stop('cleanup');
    await ops?.close();
  });

  it('logs one error line per stalled partition, naming topic, partition, offset and cause', () => {
    const lines = log.lines().filter((l) => l.event === 'partition-stalled');
    expect(lines).toHaveLength(2);
    const byPartition = new Map(lines.map((l) => [l.partition, l]));
    expect(byPartition.get(1)).toMatchObject({ level: 50, topic: damaged.topic, offset: String(stalledAt.get(1)), reason: 'decompression_failed', error: expect.stringMatching(/lz4/) });
    expect(byPartition.get(2)).toMatchObject({ level: 50, topic: damaged.topic, offset: String(stalledAt.get(2)), reason: 'unsupported_codec', error: expect.stringMatching(/codec id 6/) });
    expect(String(byPartition.get(1)!.msg)).toContain(`partition ${damaged.topic}[1] stalled at offset ${stalledAt.get(1)}`);
  });

  it('exports faultline_partition_stalled for exactly those partitions', () => {
    const series = metrics.split('\n').filter((l) => l.startsWith('faultline_partition_stalled{'));
    expect(series.sort()).toEqual(
      [
        `faultline_partition_stalled{topic="${damaged.topic}",partition="1",reason="decompression_failed"} 1`,
        `faultline_partition_stalled{topic="${damaged.topic}",partition="2",reason="unsupported_codec"} 1`,
      ].sort(),
    );
  });

  it('/readyz says not ready, and why', () => {
    expect(readyz.status).toBe(503);
    expect(readyz.body).toContain(`partition ${damaged.topic}[1] stalled at offset ${stalledAt.get(1)}: decompression_failed`);
    expect(readyz.body).toContain(`partition ${damaged.topic}[2] stalled at offset ${stalledAt.get(2)}: unsupported_codec`);
    expect(readyz.body).not.toContain('broker unreachable');
  });

  it('commits nothing past the bad batch, and the other partitions and topics to their end', async () => {
    const committed = await committedOffsets(groupId, damaged.topic);
    expect(committed.get(1)).toBe(stalledAt.get(1));
    expect(committed.get(2)).toBe(-1);
    expect(committed.get(0)).toBe(damaged.ends.get(0));
    expect(committed.get(3)).toBe(damaged.ends.get(3));
    expect(stalledAt.get(1)).toBeGreaterThan(0);
    const other = await committedOffsets(groupId, healthy.topic);
    expect([...other]).toEqual([...healthy.ends]);
  });

  it('writes exactly the tagged events of every record before the stalls, and none after', async () => {
    const all = parseOutputs(await kcatConsumeJson(output));
    checkOutputs(all.filter((o) => o.source.topic === damaged.topic), reachable(damaged, stalledAt), damaged.topic, { emitAll: false, allowDuplicates: false });
    checkOutputs(all.filter((o) => o.source.topic === healthy.topic), healthy.placed, healthy.topic, { emitAll: false, allowDuplicates: false });
    const [raw, json] = await Promise.all([kcatConsumeRaw(dlq), kcatConsumeJson(dlq)]);
    for (const [input, placed] of [
      [damaged, reachable(damaged, stalledAt)],
      [healthy, healthy.placed],
    ] as const) {
      const mine = new Set(json.filter((m) => m.headers[DLQ_HEADERS.topic] === input.topic).map((m) => `${m.partition}@${m.offset}`));
      const pick = <T extends { partition: number; offset: number }>(xs: readonly T[]) => xs.filter((m) => mine.has(`${m.partition}@${m.offset}`));
      checkDeadLetters(pick(raw), pick(json), placed, input.topic, { allowDuplicates: false });
    }
  }, 120_000);

  it('never reported the stall as a broker outage, nor restarted the consumer', () => {
    const events = log.lines().map((l) => l.event);
    expect(events).not.toContain('broker-unreachable');
    expect(events).not.toContain('consumer-crash');
    expect(events.filter((e) => e === 'group-joined')).toHaveLength(1);
  });
});
