import type { InFlightMarker, InFlightStore } from './inflight-store.js';

/**
 * The poison-pill guard: a record that kills the worker outright (kill -9 by a liveness probe on
 * a stalled loop, the OOM killer, a native crash in RE2) must not kill it again on every start.
 * No catch block sees such a death, so the guard works from what is left on disk:
 *
 * 1. Before a batch is worked on, its offset range is written to the marker file; after its
 *    offsets are committed (or it is given up alive), the marker goes. A marker found at start-up
 *    is therefore a death with that range in hand.
 * 2. A batch that overlaps such a range is worked on record by record: the marker names each
 *    record before it is processed, with the number of deaths it was in hand for. A death then
 *    points at one record.
 * 3. A record named by a marker with `limit` deaths is not processed again: it is dead-lettered
 *    as `crashed-worker`, and the partition moves on.
 *
 * The first death only narrows the suspect down to a batch, so a record is dead-lettered after
 * max(limit, 2) deaths in a row. A death while the batch is written or committed never names a
 * record (the record is not what was running). A clean stop clears everything: the deaths must
 * be consecutive. Each worker has a file of its own (group id + client id); a partition that
 * moves to another worker by a rebalance starts that worker's count afresh, so the total number
 * of deaths stays bounded by limit × workers.
 */

export interface PoisonGuardOptions {
  /** Deaths with the same record in hand before it is dead-lettered (at least 1). */
  limit: number;
  /**
   * A marker could not be written (disk full, directory gone): the guard goes on without it rather
   * than stop the worker; called once per failure streak.
   */
  onError?: (error: Error) => void;
}

/** One batch in hand, as the guard follows it. */
export interface InFlight {
  /** True when this batch is watched record by record (it overlaps a range a worker died on). */
  readonly careful: boolean;
  /**
   * Called before each record is processed: the error text to dead-letter it with, when it was in
   * hand for `limit` deaths; otherwise undefined (and, when careful, the marker names it).
   */
  next(offset: string): string | undefined;
  /** Processing is over, the writes and the commit follow: a death now blames no record. */
  writing(): void;
  /**
   * Processing waits (a heartbeat): other partitions' batches run meanwhile, so a death now
   * blames no record of this one; the next `next` names one again.
   */
  idle(): void;
  /** The batch is over: committed through `committed`, or given up alive (undefined). */
  end(committed?: string): void;
}

const NOT_WATCHED: InFlight = { careful: false, next: () => undefined, writing() {}, idle() {}, end() {} };

export class PoisonGuard {
  /** Ranges the previous process died with, by partition, until a commit passes them. */
  private readonly previous = new Map<string, InFlightMarker>();
  /** What this process has in hand now, by partition. */
  private readonly current = new Map<string, InFlightMarker>();
  private readonly limit: number;
  private failing = false;

  constructor(
    private readonly store: InFlightStore,
    private readonly options: PoisonGuardOptions,
  ) {
    this.limit = Math.max(1, options.limit);
    for (const m of store.load()) this.previous.set(keyOf(m.topic, m.partition), m);
  }

  /** What the previous process died with (for the start-up log line). */
  get inherited(): readonly InFlightMarker[] {
    return [...this.previous.values()];
  }

  begin(topic: string, partition: number, first: string, last: string): InFlight {
    const key = keyOf(topic, partition);
    let prev = this.previous.get(key);
    // The committed offset moved past it (another worker got there during a rebalance).
    if (prev !== undefined && BigInt(first) > BigInt(prev.record ?? prev.last)) {
      this.previous.delete(key);
      prev = undefined;
    }
    const suspect = prev !== undefined && BigInt(first) <= BigInt(prev.last) && BigInt(last) >= BigInt(prev.first) ? prev : undefined;
    const marker: InFlightMarker = { topic, partition, first, last, crashes: suspect === undefined ? 1 : suspect.crashes + 1 };
    this.current.set(key, marker);
    this.save();
    if (suspect === undefined) return this.plain(key, prev);
    return this.watched(key, marker, suspect);
  }

  /** A clean stop: nothing is in hand, and no death chain goes on. */
  clear(): void {
    this.previous.clear();
    this.current.clear();
    try {
      this.store.clear();
    } catch (err) {
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private plain(key: string, prev: InFlightMarker | undefined): InFlight {
    return { ...NOT_WATCHED, end: (committed) => this.end(key, prev, committed) };
  }

  private watched(key: string, marker: InFlightMarker, suspect: InFlightMarker): InFlight {
    const rangeCrashes = marker.crashes;
    const clear = () => {
      delete marker.record;
      marker.crashes = rangeCrashes;
      this.save();
    };
    return {
      careful: true,
      next: (offset) => {
        const o = BigInt(offset);
        const inSuspectRange = o >= BigInt(suspect.first) && o <= BigInt(suspect.last);
        const named = suspect.record === offset;
        if (named && suspect.crashes >= this.limit) {
          return `the worker died ${suspect.crashes} time(s) in a row with this record in hand (kill -9, out of memory or a native crash)`;
        }
        // Deaths it may have been in hand for: all of the range's, unless an earlier careful
        // pass showed another record was the one in hand.
        const before = named || (inSuspectRange && suspect.record === undefined) ? suspect.crashes : 0;
        marker.record = offset;
        marker.crashes = before + 1;
        this.save();
        return undefined;
      },
      writing: () => clear(),
      idle: () => clear(),
      end: (committed) => this.end(key, suspect, committed),
    };
  }

  private end(key: string, prev: InFlightMarker | undefined, committed: string | undefined): void {
    this.current.delete(key);
    if (prev !== undefined && committed !== undefined && BigInt(committed) >= BigInt(prev.record ?? prev.last)) {
      this.previous.delete(key);
    }
    this.save();
  }

  /** The file holds what is in hand, and the inherited ranges not yet passed. */
  private save(): void {
    const markers = new Map(this.previous);
    for (const [k, m] of this.current) markers.set(k, m);
    try {
      this.store.save([...markers.values()]);
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
      this.failing = true;
    }
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
