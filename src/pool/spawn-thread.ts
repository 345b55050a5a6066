/**
 * Starts a thread on a module of this folder. Built code runs the .js file beside this one;
 * from sources (tests, benches under tsx) the thread would not know TypeScript, so it starts
 * through a one-line module that registers tsx's loader first.
 */
import { Worker } from 'node:worker_threads';

export function spawnThread(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData });
}

/** This folder's matcher thread, as .js when running built code, as .ts from sources. */
export function matcherThreadEntry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./matcher-thread.${ext}`, import.meta.url);
}
