/**
 * A pool of matcher threads, each with its own bank per rules generation (re2 1.27 is safe in
 * worker threads, uhop/node-re2#235; a bank is not shared: its scanners and stamp sets are
 * per-thread JS objects).
 *
 * - `load(rules)` builds a generation in every thread and resolves once all have it; `match`
 *   names a generation, so a whole job (one Kafka batch) is matched by that one version
 *   whichever threads its chunks run on, and a reload never lands mid-batch.
 * - A job is cut into chunks spread over the threads; each thread has at most MAX_IN_FLIGHT
 *   chunks posted (one running, one queued in its port, so it never idles on a round trip).
 * - A thread that dies (uncaught error, exit, native crash of the thread) is replaced: the new
 *   one builds every live generation, and the chunks the dead one held are matched again.
 *   A chunk that kills MAX_ATTEMPTS threads fails its job instead of killing threads forever.
 */
import type { Worker } from 'node:worker_threads';
import type { Rule } from '../kb/types.js';
import type { Logger } from '../log.js';
import type { RuleMatch } from '../match/types.js';
import { threadRule, unpackMatches, type FromThread, type ThreadRule, type ToThread } from './protocol.js';
import { matcherThreadEntry, spawnThread } from './spawn-thread.js';

export interface MatcherPoolOptions {
  threads: number;
  logger?: Logger;
  /** The thread module (tests: one that crashes on purpose); default ./matcher-thread. */
  entry?: URL;
  workerData?: unknown;
  /** Texts per chunk at least: below it, a job is not split further. */
  minChunkTexts?: number;
}

/** Chunks posted to one thread at once. */
const MAX_IN_FLIGHT = 2;
/** Threads a chunk may see die under it before its job fails. */
const MAX_ATTEMPTS = 3;
const DEFAULT_MIN_CHUNK = 64;
/** Replacement of threads that die before ever becoming ready backs off up to this. */
const MAX_RESPAWN_DELAY_MS = 5000;

export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}

interface Job {
  generation: number;
  results: RuleMatch[][];
  left: number;
  failed: boolean;
  resolve(results: RuleMatch[][]): void;
  reject(err: Error): void;
}

interface Chunk {
  id: number;
  job: Job;
  offset: number;
  texts: string[];
  attempts: number;
}

interface Slot {
  id: number;
  worker: Worker;
  /** Generations this thread has built. */
  loaded: Set<number>;
  inFlight: Map<number, Chunk>;
  alive: boolean;
  /** Chunks this thread has answered. */
  done: number;
}

interface Generation {
  rules: ThreadRule[];
  /** Set until every thread has built it. */
  pending?: { resolve(): void; reject(err: Error): void };
}

export interface PoolStats {
  threads: number;
  /** Threads replaced after dying. */
  replaced: number;
  /** Chunks matched again because their thread died. */
  redone: number;
}

export class MatcherPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Chunk[] = [];
  private readonly generations = new Map<number, Generation>();
  private readonly entry: URL;
  private readonly minChunk: number;
  private nextGeneration = 1;
  private nextChunk = 1;
  private nextSlot = 1;
  private closed = false;
  private earlyDeaths = 0;
  private readonly stats_: PoolStats = { threads: 0, replaced: 0, redone: 0 };

  constructor(private readonly opts: MatcherPoolOptions) {
    if (!(Number.isInteger(opts.threads) && opts.threads >= 1)) throw new Error(`matcher threads must be a positive integer (got ${opts.threads})`);
    this.entry = opts.entry ?? matcherThreadEntry();
    this.minChunk = opts.minChunkTexts ?? DEFAULT_MIN_CHUNK;
    for (let i = 0; i < opts.threads; i++) this.spawn();
  }

  get stats(): PoolStats {
    return { ...this.stats_, threads: this.slots.size };
  }

  /** The live threads and the chunks each has answered (tests: which threads did the work). */
  threads(): { threadId: number; chunks: number }[] {
    return [...this.slots].map((s) => ({ threadId: s.worker.threadId, chunks: s.done }));
  }

  /** Ends one thread as a crash would (tests). */
  async terminateThread(threadId: number): Promise<void> {
    const slot = [...this.slots].find((s) => s.worker.threadId === threadId);
    await slot?.worker.terminate();
  }

  /** Builds the rules in every thread; resolves with the generation to match against. */
  async load(rules: readonly Rule[]): Promise<number> {
    if (this.closed) throw new PoolClosedError('the matcher pool is closed');
    const generation = this.nextGeneration++;
    const spec: Generation = { rules: rules.map(threadRule) };
    const ready = new Promise<void>((resolve, reject) => (spec.pending = { resolve, reject }));
    this.generations.set(generation, spec);
    for (const slot of this.slots) this.post(slot, { type: 'load', generation, rules: spec.rules });
    try {
      await ready;
    } catch (err) {
      this.drop(generation);
      throw err;
    }
    return generation;
  }

  /** The threads free the generation's banks. Only once no job of it is left. */
  drop(generation: number): void {
    if (!this.generations.delete(generation)) return;
    for (const slot of this.slots) {
      slot.loaded.delete(generation);
      this.post(slot, { type: 'drop', generation });
    }
  }

  /** Every text's matches (rule order, as MatcherBank.match), all by `generation`'s bank. */
  match(generation: number, texts: readonly string[]): Promise<RuleMatch[][]> {
    if (this.closed) return Promise.reject(new PoolClosedError('the matcher pool is closed'));
    if (!this.generations.has(generation)) return Promise.reject(new Error(`rules generation ${generation} is not loaded`));
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const parts = Math.max(1, Math.min(this.opts.threads, Math.floor(texts.length / this.minChunk)));
      const size = Math.ceil(texts.length / parts);
      const job: Job = { generation, results: new Array<RuleMatch[]>(texts.length), left: 0, failed: false, resolve, reject };
      for (let offset = 0; offset < texts.length; offset += size) {
        job.left++;
        this.queue.push({ id: this.nextChunk++, job, offset, texts: texts.slice(offset, offset + size), attempts: 0 });
      }
      this.dispatch();
    });
  }

  /** Ends every thread; pending jobs fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new PoolClosedError('the matcher pool is closed');
    for (const c of this.queue.splice(0)) this.fail(c.job, err);
    for (const g of this.generations.values()) g.pending?.reject(err);
    this.generations.clear();
    const slots = [...this.slots];
    for (const s of slots) for (const c of s.inFlight.values()) this.fail(c.job, err);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    const worker = spawnThread(this.entry, this.opts.workerData);
    const slot: Slot = { id: this.nextSlot++, worker, loaded: new Set(), inFlight: new Map(), alive: true, done: 0 };
    this.slots.add(slot);
    worker.on('message', (m: FromThread) => this.onMessage(slot, m));
    worker.on('error', (err) => {
      this.opts.logger?.error({ event: 'matcher-thread-error', thread: worker.threadId, error: err.message }, `matcher thread ${worker.threadId} failed: ${err.message}`);
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    for (const [generation, g] of this.generations) this.post(slot, { type: 'load', generation, rules: g.rules });
  }

  private post(slot: Slot, m: ToThread): void {
    if (slot.alive) slot.worker.postMessage(m);
  }

  private onMessage(slot: Slot, m: FromThread): void {
    if (m.type === 'loaded') {
      if (!this.generations.has(m.generation)) return;
      slot.loaded.add(m.generation);
      this.earlyDeaths = 0;
      this.settleLoads();
      this.dispatch();
      return;
    }
    if (m.type === 'load-failed') {
      const g = this.generations.get(m.generation);
      g?.pending?.reject(new Error(`a matcher thread cannot build the rules: ${m.error}`));
      if (g !== undefined) g.pending = undefined;
      return;
    }
    const chunk = slot.inFlight.get(m.chunk);
    if (chunk === undefined) return;
    slot.inFlight.delete(m.chunk);
    slot.done++;
    const job = chunk.job;
    if (m.type === 'match-failed') this.fail(job, new Error(`matching failed in a matcher thread: ${m.error}`));
    else if (!job.failed) {
      try {
        unpackMatches(new Int32Array(m.packed), chunk.texts.length, job.results, chunk.offset);
        if (--job.left === 0) job.resolve(job.results);
      } catch (err) {
        this.fail(job, err as Error);
      }
    }
    this.dispatch();
  }

  private onExit(slot: Slot, code: number): void {
    slot.alive = false;
    this.slots.delete(slot);
    if (this.closed) return;
    const wasReady = [...this.generations.keys()].every((g) => slot.loaded.has(g));
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    // Matched again first, ahead of newer work: their batches have waited longest.
    for (const c of lost.reverse()) {
      c.attempts++;
      if (c.attempts >= MAX_ATTEMPTS) this.fail(c.job, new Error(`matcher threads died ${c.attempts} times on one chunk of texts`));
      else if (!c.job.failed) {
        this.queue.unshift(c);
        this.stats_.redone++;
      }
    }
    this.opts.logger?.warn(
      { event: 'matcher-thread-died', thread: slot.worker.threadId, exitCode: code, redone: lost.length },
      `matcher thread ${slot.worker.threadId} exited (code ${code}): replacing it; ${lost.length} chunk(s) of texts matched again`,
    );
    this.stats_.replaced++;
    if (!wasReady) this.earlyDeaths++;
    // A thread that cannot even start would be replaced in a tight loop: back off.
    const delay = this.earlyDeaths === 0 ? 0 : Math.min(MAX_RESPAWN_DELAY_MS, 100 * 2 ** (this.earlyDeaths - 1));
    const respawn = () => {
      if (this.closed) return;
      this.spawn();
      this.settleLoads();
      this.dispatch();
    };
    if (delay === 0) respawn();
    else setTimeout(respawn, delay).unref();
    // The survivors may take the lost chunks now.
    this.settleLoads();
    this.dispatch();
  }

  /** Resolves the loads every live thread has built. */
  private settleLoads(): void {
    if (this.slots.size === 0) return;
    for (const [generation, g] of this.generations) {
      if (g.pending === undefined) continue;
      if ([...this.slots].every((s) => s.loaded.has(generation))) {
        g.pending.resolve();
        g.pending = undefined;
      }
    }
  }

  private dispatch(): void {
    for (let i = 0; i < this.queue.length; ) {
      const chunk = this.queue[i] as Chunk;
      if (chunk.job.failed) {
        this.queue.splice(i, 1);
        continue;
      }
      const slot = this.freestSlot(chunk.job.generation);
      if (slot === undefined) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      slot.inFlight.set(chunk.id, chunk);
      this.post(slot, { type: 'match', chunk: chunk.id, generation: chunk.job.generation, texts: chunk.texts });
    }
  }

  private freestSlot(generation: number): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (!s.alive || !s.loaded.has(generation) || s.inFlight.size >= MAX_IN_FLIGHT) continue;
      if (best === undefined || s.inFlight.size < best.inFlight.size) best = s;
    }
    return best;
  }

  private fail(job: Job, err: Error): void {
    if (job.failed) return;
    job.failed = true;
    job.reject(err);
  }
}
