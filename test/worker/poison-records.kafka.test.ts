// Issue #14: records that used to stall the worker for minutes, crash-loop it, or pass as text,
// produced with kcat next to ordinary records on 4 partitions. Each is dead-lettered with its
// reason, /healthz answers throughout, and every other record of every partition is written.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murmur2, toPositive } from '../../src/kafka/murmur2.js';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { committedOffsets, createTopic, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceOne, kcatProduceRaw, type JsonMessage, type RawMessage } from './support/kcat-io.js';
import { RULES_DIR } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const INPUT_MAX_BYTES = 3_000_000;
/** Small, so that one tagged event is over it while ordinary ones are not. */
const OUTPUT_MAX_BYTES = 20_000;

/** What each record is, by its key's prefix, and where it must end up. */
const EXPECTED: Record<string, string> = {
  ok: 'output',
  hugekey: 'key-too-large',
  key300k: 'key-too-large',
  random: 'binary',
  manyheaders: 'too-many-headers',
  bigheaders: 'headers-too-large',
  bigevent: 'output-too-large',
};

/** 64 KB of random bytes without kcat's delimiter bytes, still uniform over the other 254. */
function randomValue(size: number): Buffer {
  const b = randomBytes(size);
  for (let i = 0; i < b.length; i++) if (b[i] === 0x1e || b[i] === 0x1f) b[i] = 0x20 + ((b[i] as number) % 7) * 30;
  return b;
}

function kindOf(key: Buffer | string | null): string {
  const text = typeof key === 'string' ? key : (key?.toString('latin1', 0, 20) ?? '');
  return text.split('-')[0] ?? '';
}

describe('poison records on a real broker', () => {
  let input: string;
  let output: string;
  let dlq: string;
  const groupId = uniqueTopicName('group');
  let worker: WorkerProcess | undefined;
  let inputBack: RawMessage[] = [];
  let outputs: JsonMessage[] = [];
  let deadLetters: JsonMessage[] = [];
  const health: { status: number | string }[] = [];

  beforeAll(async () => {
    input = await createTopic({ prefix: 'logs', partitions: 4, configs: { 'max.message.bytes': String(INPUT_MAX_BYTES) } });
    output = await createTopic({ prefix: 'matches', partitions: 3, configs: { 'max.message.bytes': String(OUTPUT_MAX_BYTES) } });
    dlq = await createTopic({ prefix: 'dlq', partitions: 2 });

    const ordinary = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `ok-${from + i}`, value: Buffer.from(`2024-05-01 12:00:00 INFO ordinary line ${from + i}`) }));
    const big = ['-X', `message.max.bytes=${INPUT_MAX_BYTES}`];
    await kcatProduceRaw(input, ordinary(0, 300));
    const headers1000 = Array.from({ length: 1000 }, (_, i) => [`h${i}`, `value-${i}`] as [string, string]);
    await kcatProduceOne(input, { key: Buffer.from(`hugekey-${'k'.repeat(1_200_000)}`), value: Buffer.from('a record with a 1.2 MB key'), headers: headers1000 }, big);
    await kcatProduceRaw(input, ordinary(300, 100));
    await kcatProduceOne(input, { key: Buffer.from(`key300k-${'q'.repeat(300_000)}`), value: Buffer.from('a record with a 300 KB key') }, big);
    await kcatProduceOne(input, { key: Buffer.from('random-1'), value: randomValue(65_536) });
    await kcatProduceOne(input, { key: Buffer.from('manyheaders-1'), value: Buffer.from('150 headers'), headers: headers1000.slice(0, 150) });
    await kcatProduceOne(input, { key: Buffer.from('bigheaders-1'), value: Buffer.from('100 KB of headers'), headers: [['a', 'x'.repeat(50_000)], ['b', 'y'.repeat(50_000)]] });
    await kcatProduceOne(input, { key: Buffer.from('bigevent-1'), value: Buffer.from(`2024-05-01 12:00:00 INFO ${'long line '.repeat(2500)}`) });
    await kcatProduceRaw(input, ordinary(400, 200));
    // kcat -e may stop at a partition's end before the last batch is readable: read until all are.
    inputBack = await waitUntil(
      async () => {
        const back = await kcatConsumeRaw(input);
        return back.length === 606 ? back : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `all 606 records readable on ${input}` },
    );

    worker = startWorkerProcess({
      FAULTLINE_INPUT_TOPICS: input,
      FAULTLINE_OUTPUT_TOPIC: output,
      FAULTLINE_DLQ_TOPIC: dlq,
      FAULTLINE_GROUP_ID: groupId,
      FAULTLINE_FROM_BEGINNING: 'true',
      FAULTLINE_EMIT: 'all',
      FAULTLINE_RULES: RULES_DIR,
    });
    const listening = await worker.waitForEvent('metrics-listening');
    const url = `${String(listening.url).replace(/\/$/, '')}/healthz`;
    const ends = new Map<number, number>();
    for (const m of inputBack) ends.set(m.partition, Math.max(ends.get(m.partition) ?? 0, m.offset + 1));
    let done = false;
    // /healthz polled while the worker reads the poison: each answer is waited for (10 s at most).
    const poll = (async () => {
      for (let i = 0; i < 2000 && !done; i++) {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
          health.push({ status: res.status });
        } catch (err) {
          health.push({ status: (err as Error).name });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await waitUntil(
        async () => {
          const committed = await committedOffsets(groupId, input);
          return [...ends].every(([p, end]) => committed.get(p) === end);
        },
        { timeoutMs: 120_000, intervalMs: 500, what: `group ${groupId} to commit the end of every partition` },
      );
    } finally {
      done = true;
      await poll;
    }
    [outputs, deadLetters] = await Promise.all([kcatConsumeJson(output), kcatConsumeJson(dlq)]);
  }, 400_000);

  afterAll(async () => {
    await killWorker(worker);
  });

  it('writes every record once: ordinary ones to the output, each poison record to the DLQ with its reason', () => {
    const written = new Map<string, string[]>();
    const note = (coord: string, where: string) => written.set(coord, [...(written.get(coord) ?? []), where]);
    for (const m of outputs) {
      const source = (JSON.parse(String(m.payload)) as { faultline: { source: { partition: number; offset: string } } }).faultline.source;
      note(`${source.partition}@${source.offset}`, 'output');
    }
    for (const m of deadLetters) note(`${m.headers[DLQ_HEADERS.partition]}@${m.headers[DLQ_HEADERS.offset]}`, String(m.headers[DLQ_HEADERS.reason]));
    const expected = new Map(inputBack.map((m) => [`${m.partition}@${m.offset}`, [EXPECTED[kindOf(m.key)] ?? `unknown key ${kindOf(m.key)}`]]));
    expect(new Set(inputBack.map((m) => m.partition)).size).toBe(4);
    expect(Object.fromEntries(written)).toEqual(Object.fromEntries(expected));
  });

  it('keeps /healthz answering 200 while the poison is read', () => {
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
  });

  it('cuts the 1.2 MB key to fit the DLQ, saying what the record held', () => {
    const huge = deadLetters.find((m) => kindOf(m.key) === 'hugekey');
    expect(huge?.headers[DLQ_HEADERS.originalKeyBytes]).toBe(String('hugekey-'.length + 1_200_000));
    expect(huge?.headers[DLQ_HEADERS.originalHeaders]).toBeUndefined();
    expect(huge?.headers.h999).toBe('value-999');
    expect((huge?.key ?? '').length).toBeLessThan(1_048_588);
    const key300 = deadLetters.find((m) => kindOf(m.key) === 'key300k');
    expect(key300?.key).toBe(`key300k-${'q'.repeat(300_000)}`);
  });

  it('says why in the log, and never that Kafka is unreachable or the consumer failed', () => {
    const logs = worker?.logs ?? [];
    expect(logs.filter((l) => l.event === 'consumer-crash' || /unreachable/i.test(l.msg))).toEqual([]);
    const reasons = logs.filter((l) => l.event === 'dead-letter').map((l) => l.reason);
    expect(new Set(reasons)).toEqual(new Set(['key-too-large', 'binary', 'too-many-headers', 'headers-too-large', 'output-too-large']));
    expect(logs.some((l) => l.event === 'topic-limit' && l.topic === output && l.maxMessageBytes === OUTPUT_MAX_BYTES)).toBe(true);
  });

  it('puts keys where a Java client would: kcat (librdkafka murmur2) on the input, faultline on the output', () => {
    for (const m of inputBack.filter((r) => kindOf(r.key) === 'ok')) expect(toPositive(murmur2(m.key as Buffer)) % 4).toBe(m.partition);
    expect(outputs.length).toBeGreaterThan(500);
    for (const m of outputs) expect(m.partition).toBe(toPositive(murmur2(Buffer.from(String(m.key)))) % 3);
  });
});
