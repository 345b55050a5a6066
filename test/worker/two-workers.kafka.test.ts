// (5) Two workers in one group split the partitions and together write what one would.
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/kafka.js';
import { checkAccounted, readWritten } from './support/accounting.js';
import { partitionOf } from './support/accounting.js';
import { createScenarioTopics, MATCH_THREAD_VARIANTS, prepareScenario, produceScenario, waitForCommitsAtEnd, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type LogLine, type WorkerProcess } from './support/worker-process.js';

const TUNING = JSON.stringify({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 });
/** Small fetches: many batches per partition, so that the second worker joins mid-run. */
const SMALL_BATCHES = JSON.stringify({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, maxBytesPerPartition: 16_384 });
/** A kafkajs batch holds whole producer batches (kcat: <= 100 records) up to 16 KiB of records. */
const MAX_BATCH_RECORDS = 300;

function lastJoin(w: WorkerProcess): LogLine | undefined {
  return w.logs.filter((l) => l.event === 'group-joined').at(-1);
}

describe.each(MATCH_THREAD_VARIANTS)('two workers in one group, %s match thread(s) each', (threads) => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await killWorker(w);
  });

  it('split the partitions and together produce the same result as one', async () => {
    const s = await createScenarioTopics(4);
    const env = workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_TUNING: TUNING, FAULTLINE_MATCH_THREADS: threads });
    const a = startWorkerProcess({ ...env, FAULTLINE_CLIENT_ID: 'worker-a' });
    workers.push(a);
    await a.waitForEvent('group-joined');
    const b = startWorkerProcess({ ...env, FAULTLINE_CLIENT_ID: 'worker-b' });
    workers.push(b);
    // Both members of the latest generation hold partitions, all four between them.
    await waitUntil(
      () => {
        const ja = lastJoin(a);
        const jb = lastJoin(b);
        return ja !== undefined && jb !== undefined && Number(ja.partitions) > 0 && Number(jb.partitions) > 0 && Number(ja.partitions) + Number(jb.partitions) === 4;
      },
      { timeoutMs: 90_000, what: 'both workers to hold partitions' },
    );

    await produceScenario(s, 20_000, 5);
    await waitForCommitsAtEnd(s, 180_000);
    for (const w of [a, b]) w.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const duplicates = checkAccounted(s, await readWritten(s), true);
    // No rebalance happened while records flowed: each record was handled by exactly one worker.
    expect(duplicates).toEqual([]);
  }, 300_000);

  it('lose nothing when the second one joins mid-run, repeating at most a batch per partition', async () => {
    const s = await prepareScenario(20_000, 6);
    const env = workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_TUNING: SMALL_BATCHES, FAULTLINE_MATCH_THREADS: threads });
    const a = startWorkerProcess({ ...env, FAULTLINE_CLIENT_ID: 'worker-a' });
    workers.push(a);
    await a.waitForBatches(5);
    const b = startWorkerProcess({ ...env, FAULTLINE_CLIENT_ID: 'worker-b' });
    workers.push(b);
    // B must really join (A may or may not have finished the input by then: how much of the
    // work B gets is up to timing, what must hold either way is asserted below).
    await waitUntil(() => Number(lastJoin(b)?.partitions ?? 0) > 0, { timeoutMs: 90_000, what: 'the second worker to hold partitions' });
    await waitForCommitsAtEnd(s, 180_000);
    for (const w of [a, b]) w.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    // A went through the rebalance that B's join caused, and kept nothing B was given.
    expect(a.logs.filter((l) => l.event === 'rebalance').length).toBeGreaterThan(0);
    expect(Number(lastJoin(a)?.partitions) + Number(lastJoin(b)?.partitions)).toBe(4);
    const duplicates = checkAccounted(s, await readWritten(s), true);
    for (const p of s.ends.keys()) {
      expect(duplicates.filter((c) => partitionOf(c) === p).length, `repeats in partition ${p}`).toBeLessThanOrEqual(MAX_BATCH_RECORDS);
    }
  }, 300_000);
});
