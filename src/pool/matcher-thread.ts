/** Entry point of a matcher thread (started by matcher-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { serveMatcher } from './thread-main.js';

if (parentPort === null) throw new Error('matcher-thread.ts runs as a worker thread');
serveMatcher(parentPort);
