// (2) kill -9 in the middle of a run, then restart: no input record is missing from the output
// topic (--emit all: unmatched records too) and the DLQ; repeats are limited to the batches that
// were in flight, after the last committed offsets.
import { afterEach, describe, expect, it } from 'vitest';
import { committedOffsets } from '../support/kafka.js';
import { checkAccounted, offsetOf, partitionOf, readWritten } from './support/accounting.js';
import { MATCH_THREAD_VARIANTS, prepareScenario, waitForCommitsAtEnd, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

/**
 * Small fetches: many batches per partition, so that a kill lands mid-run. A short session: the
 * killed member's partitions are handed on after 10 s instead of 30 s.
 */
const TUNING = JSON.stringify({ maxBytesPerPartition: 16_384, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 });
/** A kafkajs batch holds whole producer batches (kcat: <= 100 records) up to 16 KiB of records. */
const MAX_BATCH_RECORDS = 300;

describe.each(MATCH_THREAD_VARIANTS)('worker killed with SIGKILL, %s match thread(s)', (threads) => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await killWorker(w);
  });

  it('accounts for every record after a restart', async () => {
    const s = await prepareScenario(20_000, 2);
    const env = workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_TUNING: TUNING, FAULTLINE_MATCH_THREADS: threads });

    const first = startWorkerProcess(env);
    workers.push(first);
    await first.waitForBatches(5);
    expect(first.logs.find((l) => l.event === 'match-threads')).toMatchObject({ threads: Number(threads), pool: threads !== '1' });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const atKill = await committedOffsets(s.groupId, s.input);
    const ends = [...s.ends];
    expect(ends.some(([p, end]) => (atKill.get(p) ?? -1) < end), 'the kill came before the end').toBe(true);

    const second = startWorkerProcess({ ...env, FAULTLINE_LOG_LEVEL: 'info' });
    workers.push(second);
    await waitForCommitsAtEnd(s, 120_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const duplicates = checkAccounted(s, await readWritten(s), true);
    for (const c of duplicates) {
      const committed = atKill.get(partitionOf(c)) ?? 0;
      expect(offsetOf(c), `${c} was committed before the kill and written again`).toBeGreaterThanOrEqual(committed);
    }
    for (const [p] of ends) {
      expect(duplicates.filter((c) => partitionOf(c) === p).length, `repeats in partition ${p}`).toBeLessThanOrEqual(MAX_BATCH_RECORDS);
    }
  }, 300_000);
});
