// /readyz through a broker crash (kill -9) and restart: not ready, with a reason, while the
// broker is away and while the consumer re-joins its group; ready again after; every record
// accounted for. Only for a broker run by scripts/kafka.
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBroker, killBroker, startBroker, waitUntil } from '../support/kafka.js';
import { checkAccounted, readWritten } from './support/accounting.js';
import { prepareScenario, waitForCommitsAtEnd, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const SESSION_MS = 10_000;
const TUNING = JSON.stringify({ maxBytesPerPartition: 8_192, sessionTimeoutMs: SESSION_MS, heartbeatIntervalMs: 1000 });
const restartable = kafkaBroker().restartable;

interface Sample {
  at: number;
  phase: 'before' | 'down' | 'back';
  status: number;
  reasons: string[];
}

describe('/readyz across a broker crash', () => {
  let worker: WorkerProcess | undefined;
  let polling = false;
  afterEach(async () => {
    polling = false;
    await killWorker(worker);
    if (restartable) await startBroker();
  });

  it.skipIf(!restartable)(
    `is not ready with a reason during the outage and the rejoin, ready after (${restartable ? 'scripts/kafka broker' : 'skipped: broker not restartable'})`,
    async () => {
      const s = await prepareScenario(20_000, 7);
      worker = startWorkerProcess(workerEnv(s, { FAULTLINE_EMIT: 'all', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_TUNING: TUNING }));
      const w = worker;
      const url = String((await w.waitForEvent('metrics-listening')).url);
      const samples: Sample[] = [];
      let phase: Sample['phase'] = 'before';
      polling = true;
      // One sample at a time, every 200 ms, for the whole test (bounded by the test's own end).
      const poller = (async () => {
        while (polling) {
          const at = Date.now();
          try {
            const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
            // "ready", or "not ready: reason; reason".
            const body = (await res.text()).trim();
            const reasons = body.startsWith('not ready: ') ? body.slice('not ready: '.length).split('; ') : [];
            samples.push({ at, phase, status: res.status, reasons });
          } catch {
            samples.push({ at, phase, status: 0, reasons: ['no answer'] });
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();

      await waitUntil(() => samples.some((x) => x.status === 200) && w.logs.filter((l) => l.event === 'batch-committed').length >= 5, {
        timeoutMs: 90_000,
        what: 'the worker to be ready and consuming',
      });
      const joinsBefore = w.logs.filter((l) => l.event === 'group-joined').length;

      await killBroker();
      const killedAt = Date.now();
      phase = 'down';
      // The broker stays away until the worker says it is not ready: that must happen by itself.
      const firstDown = await waitUntil(() => samples.find((x) => x.phase === 'down' && x.status === 503), {
        timeoutMs: 90_000,
        what: '/readyz to report not ready while the broker is down',
      });
      expect(firstDown.reasons.length).toBeGreaterThan(0);
      expect(firstDown.reasons.join('; ')).toMatch(/not consuming|consumer stopped|broker unreachable/);
      // Once not ready, it stays so while the broker is away (the server itself still answers).
      const downSince = samples.indexOf(firstDown);
      expect(w.child.exitCode).toBeNull();

      await startBroker();
      const backAt = Date.now();
      phase = 'back';
      const firstReady = await waitUntil(() => samples.find((x) => x.phase === 'back' && x.status === 200), {
        timeoutMs: 180_000,
        what: '/readyz to report ready after the broker is back',
      });
      const rejoined = w.logs.filter((l) => l.event === 'group-joined').length > joinsBefore;

      for (const x of samples.slice(downSince)) {
        if (x === firstReady) break;
        expect(x.status, `sample ${x.phase} at +${x.at - killedAt} ms: ${x.reasons.join('; ')}`).toBe(503);
        expect(x.reasons.length).toBeGreaterThan(0);
      }
      const rejoinSamples = samples.filter((x) => x.phase === 'back' && x.at < firstReady.at);
      for (const x of rejoinSamples) expect(x.reasons.join('; ')).toMatch(/re-joining|rebalancing|consumer stopped|not consuming|broker unreachable/);
      // Figures for the README (docs/deployment.md#broker-restarts-and-the-rejoin-wait).
      console.log(
        JSON.stringify({
          killToNotReadyMs: firstDown.at - killedAt,
          brokerBackToReadyMs: firstReady.at - backAt,
          rejoined,
          reasonsDown: [...new Set(samples.filter((x) => x.phase === 'down').flatMap((x) => x.reasons.map((r) => r.replace(/\d+s/g, 'Ns'))))],
          reasonsBack: [...new Set(rejoinSamples.flatMap((x) => x.reasons.map((r) => r.replace(/\d+s/g, 'Ns'))))],
        }),
      );

      // Records keep flowing, and every one is accounted for.
      await waitForCommitsAtEnd(s, 180_000);
      polling = false;
      await poller;
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      checkAccounted(s, await readWritten(s), true);
    },
    500_000,
  );
});
