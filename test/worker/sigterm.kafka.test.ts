// (3) SIGTERM mid-run: exit 0 within the grace period, with exactly what was written committed.
import { afterEach, describe, expect, it } from 'vitest';
import { committedOffsets } from '../support/kafka.js';
import { readWritten, writtenCoords } from './support/accounting.js';
import { checkDeadLetters, checkOutputs, type Placed } from './support/expectations.js';
import { prepareScenario, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const TUNING = JSON.stringify({ maxBytesPerPartition: 16_384 });

describe('worker on SIGTERM', () => {
  let worker: WorkerProcess | undefined;
  afterEach(async () => killWorker(worker));

  it('finishes the batch in hand, commits it and exits 0', async () => {
    const s = await prepareScenario(20_000, 3);
    worker = startWorkerProcess(
      workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_SHUTDOWN_GRACE_MS: '20000', FAULTLINE_TUNING: TUNING }),
    );
    const w = worker;
    await w.waitForBatches(5);
    w.child.kill('SIGTERM');
    // The worker exits 1 by itself once the grace period is over: 0 means it stopped in time.
    expect(await w.exited).toBe(0);
    const events = w.logs.map((l) => l.event);
    expect(events).toContain('shutdown');
    expect(events).toContain('stopped');
    expect(events).not.toContain('shutdown-timeout');

    // Everything written is committed and everything committed is written: records below the
    // committed offsets are in the output or the DLQ once, records above are in neither.
    const committed = await committedOffsets(s.groupId, s.input);
    expect([...s.ends].some(([p, end]) => (committed.get(p) ?? 0) < end), 'SIGTERM came before the end').toBe(true);
    const done = new Map<string, Placed>([...s.placed].filter(([, p]) => p.offset < (committed.get(p.partition) ?? 0)));
    expect(done.size).toBeGreaterThan(0);
    const written = await readWritten(s);
    checkOutputs(written.outputs, done, s.input, { emitAll: true, allowDuplicates: false });
    checkDeadLetters(written.dlqRaw, written.dlqJson, done, s.input, { allowDuplicates: false });
    expect(new Set(writtenCoords(written))).toEqual(new Set([...done.keys()]));
  }, 300_000);
});
