import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { installIdleRequestQueue } from '../../src/kafka/idle-request-queue.js';

const require = createRequire(import.meta.url);

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
type QueueClass = new (opts: Record<string, unknown>) => Queue;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** kafkajs' own RequestQueue, as each broker connection makes one. */
function queue(): Queue {
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as QueueClass;
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: '127.0.0.1:9',
    logger: { namespace: () => silent },
    isConnected: () => true,
  });
}

describe('idle kafkajs request queue', () => {
  it('arms no timer with nothing pending and no throttling (kafkajs 2.2.4 re-arms one every 1 ms)', () => {
    installIdleRequestQueue();
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still schedules the check when requests wait or the broker throttles', () => {
    installIdleRequestQueue();
    const waiting = queue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(waiting.throttleCheckTimeoutId as NodeJS.Timeout);
    waiting.pending.length = 0;

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId as NodeJS.Timeout);
  });
});
