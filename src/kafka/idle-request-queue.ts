/**
 * Stops kafkajs 2.2.4 from spinning while idle.
 *
 * Every broker connection has a RequestQueue whose scheduleCheckPendingRequests, with nothing
 * pending and no broker throttling, arms setTimeout(check, throttledUntil - now) with
 * throttledUntil = -1: a negative delay, i.e. 1 ms, and the check re-arms it. Each connection
 * thus runs a timer every millisecond for its whole life (tulios/kafkajs#1556, #1704, open PRs
 * #1667 and #1768; 2.2.4 is the last release). Measured with bench:idle: an idle consumer spends
 * ~2 % of a core on it whatever maxWaitTimeInMs is; Node 24 also warns about the negative delay.
 *
 * The check has nothing to do in that state: a request that cannot go out at once is queued
 * by `push`, which schedules the check itself with the queue non-empty, and a finished request
 * checks the queue too. So with an empty queue and no throttling nothing is armed; every other
 * case keeps kafkajs' own behaviour.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

let installed = false;

/** Idempotent; patches the prototype, so it holds for queues made before and after. */
export function installIdleRequestQueue(): void {
  if (installed) return;
  const Queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  const original = Queue.prototype.scheduleCheckPendingRequests;
  if (typeof original !== 'function') throw new Error('kafkajs RequestQueue has no scheduleCheckPendingRequests any more: review src/kafka/idle-request-queue.ts');
  Queue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  installed = true;
}
