// Kafka unreachable at start-up: the worker says so once, keeps trying with backoff, and a
// SIGTERM still ends it promptly with exit 0 (nothing was consumed, nothing to commit).
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killWorker, startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('worker without a reachable broker', () => {
  let worker: WorkerProcess | undefined;
  afterEach(async () => killWorker(worker));

  it('waits with backoff and still stops cleanly on SIGTERM', async () => {
    worker = startWorkerProcess({
      KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
      FAULTLINE_INPUT_TOPICS: 'logs.app',
      FAULTLINE_SHUTDOWN_GRACE_MS: '20000',
    });
    await worker.waitForEvent('broker-unreachable');
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const unreachable = worker.logs.filter((l) => l.event === 'broker-unreachable');
    expect(unreachable).toHaveLength(1);
    expect(worker.logs.some((l) => l.event === 'stopped')).toBe(true);
  }, 60_000);
});
