// (3b) SIGTERM at any point of start-up exits 0: while the CLI's modules load, before the
// metrics server, while the rules load, while the consumer joins its group. (Before Node runs the
// first line of JavaScript no program can catch a signal; the worker's first line installs the
// handler, which the debug line process-start announces.)
import { afterEach, describe, expect, it } from 'vitest';
import { createScenarioTopics, workerEnv } from './support/setup.js';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

/**
 * Log events of start-up, in order, each a point to stop at: modules loading, options read,
 * metrics server up (rules loading next), rules loaded, worker started (no consumer yet),
 * consumer joining its group.
 */
const POINTS = ['process-start', 'config', 'metrics-listening', 'rules-loaded', 'start', 'subscribe'] as const;

describe('worker SIGTERM during start-up', () => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await killWorker(w);
  });

  it.each(POINTS)('exits 0 on SIGTERM at %s', async (point) => {
    const s = await createScenarioTopics(2);
    const w = startWorkerProcess(workerEnv(s, { FAULTLINE_LOG_LEVEL: 'debug' }));
    workers.push(w);
    await w.waitForEvent(point, 90_000);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const events = w.logs.map((l) => l.event);
    expect(events).toContain('shutdown');
    expect(events).not.toContain('shutdown-timeout');
    expect(events).not.toContain('shutdown-failed');
    // Only what came before the signal: a stop never starts consuming.
    expect(events).not.toContain('batch-committed');
  }, 120_000);
});
