// A matcher thread for the pool tests: the first thread to get the text STALL_MARK writes its
// thread id to shared memory and blocks (bounded) until the test kills it; EXIT_MARK makes the
// first thread to see it exit. Every other thread, and later chunks, match normally.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { serveMatcher } from '../../../src/pool/thread-main.js';

export const STALL_MARK = '\u0000stall-this-thread\u0000';
export const EXIT_MARK = '\u0000exit-this-thread\u0000';

if (parentPort !== null) {
  const shared = new Int32Array((workerData as { flags: SharedArrayBuffer }).flags);
  serveMatcher(parentPort, {
    beforeMatch: (texts) => {
      if (texts.includes(EXIT_MARK) && Atomics.compareExchange(shared, 1, 0, threadId) === 0) process.exit(3);
      if (texts.includes(STALL_MARK) && Atomics.compareExchange(shared, 0, 0, threadId) === 0) {
        // Woken never: the test terminates this thread. The wait only bounds a broken test.
        Atomics.wait(shared, 2, 0, 120_000);
      }
    },
  });
}
