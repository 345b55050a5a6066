// The poison-pill guard end to end: a record that kills the worker outright (SIGKILL while it is
// in hand, as a native crash or the OOM killer would) is dead-lettered as crashed-worker after
// FAULTLINE_POISON_CRASHES deaths in a row, the partition moves on, and every other record is
// processed (repeats only within the batches in hand at each death).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '../../src/worker/dead-letter.js';
import { coord, parseOutputs } from './support/expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, kcatProduceRaw } from './support/kcat-io.js';
import { committedOffsets, waitUntil } from '../support/kafka.js';
import { createScenarioTopics, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

/** Small fetches (many batches), and the shortest session the broker allows: each restart rejoins within ~6 s. */
const TUNING = JSON.stringify({ maxBytesPerPartition: 16_384, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1000 });
/** A kafkajs batch holds whole producer batches (kcat: <= 100 records) up to 16 KiB of records. */
const MAX_BATCH_RECORDS = 300;
const LIMIT = 3;
const RECORDS = 3_000;

describe('poison-pill guard', () => {
  const workers: WorkerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await killWorker(w);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it(`dead-letters a record the worker died on ${LIMIT} times in a row and moves on`, async () => {
    const s = await createScenarioTopics(2);
    const needle = `POISON-${process.pid}-${Date.now()}`;
    const values = Array.from({ length: RECORDS }, (_, i) =>
      i === Math.floor(RECORDS / 2) ? `${new Date().toISOString()} ERROR the record that kills ${needle}` : `${new Date().toISOString()} INFO request ${i} done in ${i % 97} ms`,
    );
    await kcatProduceRaw(s.input, values.map((v, i) => ({ key: `k${i % 50}`, value: Buffer.from(v) })));
    const input = await kcatConsumeRaw(s.input);
    expect(input).toHaveLength(RECORDS);
    for (const m of input) s.ends.set(m.partition, Math.max(s.ends.get(m.partition) ?? 0, m.offset + 1));
    const poison = input.find((m) => m.value?.includes(needle) === true);
    if (poison === undefined) throw new Error('the poison record is not in the input');
    const poisonCoord = coord(poison.partition, poison.offset);

    const stateDir = mkdtempSync(join(tmpdir(), 'faultline-state-'));
    dirs.push(stateDir);
    const env = workerEnv(s, {
      FAULTLINE_EMIT: 'all',
      FAULTLINE_TUNING: TUNING,
      FAULTLINE_STATE_DIR: stateDir,
      FAULTLINE_POISON_CRASHES: String(LIMIT),
      FAULTLINE_TEST_CRASH_ON: needle,
      NODE_ENV: 'test',
    });

    // Each start dies on the record, until the guard refuses it; bounded at two starts more than needed.
    let deaths = 0;
    let survivor: WorkerProcess | undefined;
    for (let start = 0; start < LIMIT + 2 && survivor === undefined; start++) {
      const w = startWorkerProcess(env);
      workers.push(w);
      let ended: number | string | undefined;
      void w.exited.then((e) => (ended = e));
      const outcome = await waitUntil(
        async () => {
          if (ended !== undefined) return ended;
          const committed = await committedOffsets(s.groupId, s.input);
          return [...s.ends].every(([p, end]) => committed.get(p) === end) ? 'done' : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250, what: 'the worker to die or to commit the end of the input' },
      );
      if (outcome === 'done') survivor = w;
      else {
        expect(outcome, 'the worker died by the test crash, nothing else').toBe('SIGKILL');
        deaths++;
        if (deaths > 1) {
          expect(w.logs.some((l) => l.event === 'died-in-flight' && l.partition === poison.partition)).toBe(true);
        }
      }
    }
    expect(deaths).toBe(LIMIT);
    if (survivor === undefined) throw new Error('no start got past the poison record');
    const told = survivor.logs.find((l) => l.event === 'died-in-flight' && l.partition === poison.partition);
    expect(told).toMatchObject({ partition: poison.partition, record: String(poison.offset), crashes: LIMIT });

    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    // A clean stop leaves no marker behind.
    expect(readdirSync(stateDir).filter((f) => f.startsWith('inflight-'))).toEqual([]);
    expect(existsSync(stateDir)).toBe(true);

    const outputs = parseOutputs(await kcatConsumeJson(s.output));
    const dlq = await kcatConsumeJson(s.dlq);
    const crashed = dlq.filter((m) => m.headers[DLQ_HEADERS.reason] === 'crashed-worker');
    expect(crashed.map((m) => coord(Number(m.headers[DLQ_HEADERS.partition]), m.headers[DLQ_HEADERS.offset] as string))).toEqual([poisonCoord]);
    expect(crashed[0]?.headers[DLQ_HEADERS.error]).toMatch(/died 3 time\(s\) in a row/);
    // The dead letter keeps the record byte for byte.
    expect(crashed[0]?.payload).toBe(poison.value?.toString());
    expect(dlq).toHaveLength(1);

    // Every other record is in the output, at least once; repeats stay within a batch per death.
    const copies = new Map<string, number>();
    for (const o of outputs) copies.set(coord(o.source.partition, o.source.offset), (copies.get(coord(o.source.partition, o.source.offset)) ?? 0) + 1);
    const expected = input.filter((m) => m !== poison).map((m) => coord(m.partition, m.offset));
    expect(copies.has(poisonCoord)).toBe(false);
    expect([...copies.keys()].sort()).toEqual(expected.sort());
    const repeats = [...copies.values()].reduce((n, c) => n + c - 1, 0);
    expect(repeats).toBeLessThanOrEqual(LIMIT * 2 * MAX_BATCH_RECORDS);
    // Figures for the README's reliability section.
    console.log(JSON.stringify({ deaths, records: RECORDS, repeats }));
  }, 400_000);
});
