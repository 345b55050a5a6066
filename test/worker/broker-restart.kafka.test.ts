// (4) The broker stops in the middle of a run and comes back: the worker rides it out and
// finishes, every record accounted for. Only for a broker run by scripts/kafka.
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBroker, startBroker, stopBroker, waitUntil } from '../support/kafka.js';
import { checkAccounted, readWritten } from './support/accounting.js';
import { prepareScenario, waitForCommitsAtEnd, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const TUNING = JSON.stringify({ maxBytesPerPartition: 16_384, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 });
const restartable = kafkaBroker().restartable;

describe('worker across a broker restart', () => {
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await killWorker(worker);
    // Never leave the shared broker down for the next test file.
    if (restartable) await startBroker();
  });

  it.skipIf(!restartable)(
    `recovers and finishes (${restartable ? 'scripts/kafka broker' : `skipped: a ${kafkaBroker().source} broker cannot be restarted by tests`})`,
    async () => {
      const s = await prepareScenario(20_000, 4);
      worker = startWorkerProcess(workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_TUNING: TUNING }));
      const w = worker;
      await w.waitForBatches(5);

      await stopBroker();
      const committedWhileDown = w.logs.filter((l) => l.event === 'batch-committed').length;
      // The worker notices (a failed fetch, heartbeat or write) and says so, without exiting.
      await waitUntil(() => w.logs.some((l) => l.event === 'broker-unreachable' || l.event === 'consumer-crash'), {
        timeoutMs: 60_000,
        what: 'the worker to notice the broker is gone',
      });
      expect(w.child.exitCode).toBeNull();
      await startBroker();

      await waitForCommitsAtEnd(s, 180_000);
      expect(w.logs.filter((l) => l.event === 'batch-committed').length).toBeGreaterThan(committedWhileDown);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      checkAccounted(s, await readWritten(s), true);
      // Backoff, not a busy loop: a bounded number of lines for the whole outage.
      expect(w.logs.filter((l) => l.level === 'warn' || l.level === 'error').length).toBeLessThan(100);
    },
    400_000,
  );
});
