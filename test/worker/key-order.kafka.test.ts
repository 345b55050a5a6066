// Per-key order: the tagged events of one key come out in the order its records went in, also
// when batches of different partitions are matched at once on matcher threads. Each event names
// the rules version that matched it.
import { describe, expect, it } from 'vitest';
import { checkAccounted, readWritten } from './support/accounting.js';
import { MATCH_THREAD_VARIANTS, prepareScenario, waitForCommitsAtEnd, workerEnv } from './support/setup.js';
import { kcatConsumeJson } from './support/kcat-io.js';
import { killWorker, startWorkerProcess } from './support/worker-process.js';

/** Small fetches: many batches per partition, several partitions' batches in hand at once. */
const TUNING = JSON.stringify({ maxBytesPerPartition: 16_384, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 });

describe.each(MATCH_THREAD_VARIANTS)('per-key order, %s match thread(s)', (threads) => {
  it('writes each key\'s events in input order, tagged with the rules version', async () => {
    const s = await prepareScenario(8_000, 12);
    const worker = startWorkerProcess(workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_TUNING: TUNING, FAULTLINE_MATCH_THREADS: threads }));
    try {
      const loaded = await worker.waitForEvent('rules-loaded');
      await waitForCommitsAtEnd(s, 180_000);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.logs.find((l) => l.event === 'match-threads')).toMatchObject({ threads: Number(threads), pool: threads !== '1' });

      const written = await readWritten(s);
      // No restart, no rebalance: each record exactly once.
      expect(checkAccounted(s, written, false)).toEqual([]);
      // Per output partition, in offset order, each key's source offsets only grow (a key
      // lives in one input partition and, keyed the same, in one output partition).
      const lastOffset = new Map<string, number>();
      const byOutput = [...written.outputs].sort((a, b) => a.outPartition - b.outPartition || a.outOffset - b.outOffset);
      let keyed = 0;
      for (const o of byOutput) {
        if (o.key === null) continue;
        keyed++;
        const id = `${o.outPartition}/${o.key}`;
        const offset = Number(o.source.offset);
        expect(offset, `key ${o.key}: offset ${offset} after ${lastOffset.get(id)}`).toBeGreaterThan(lastOffset.get(id) ?? -1);
        lastOffset.set(id, offset);
      }
      expect(keyed).toBeGreaterThan(1000);

      const versions = new Set((await kcatConsumeJson(s.output)).map((m) => (JSON.parse(m.payload ?? '{}') as { faultline?: { rules_version?: string } }).faultline?.rules_version));
      expect([...versions]).toEqual([loaded.version]);
    } finally {
      await killWorker(worker);
    }
  }, 300_000);
});
