/**
 * Bad data arrives in bursts: one log line per bad record would drown the logs (and cost more
 * than the record). This keeps at most one line per key per window and says how many occurrences
 * each line stands for.
 */

export interface RateLimitedEntry<S> {
  key: string;
  /** Occurrences since the previous line for this key, this one included. */
  count: number;
  /** The most recent occurrence's details. */
  sample: S;
}

interface KeyState<S> {
  lastEmit: number;
  pending: number;
  sample: S | undefined;
}

export class RateLimitedLog<S> {
  private readonly keys = new Map<string, KeyState<S>>();

  constructor(
    private readonly emit: (entry: RateLimitedEntry<S>) => void,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  note(key: string, sample: S, times = 1): void {
    const t = this.now();
    const state = this.keys.get(key);
    if (state === undefined) {
      this.keys.set(key, { lastEmit: t, pending: 0, sample: undefined });
      this.emit({ key, count: times, sample });
      return;
    }
    if (t - state.lastEmit >= this.windowMs) {
      const count = state.pending + times;
      state.lastEmit = t;
      state.pending = 0;
      state.sample = undefined;
      this.emit({ key, count, sample });
      return;
    }
    state.pending += times;
    state.sample = sample;
  }

  /**
   * Emits the counts held back for keys whose window has passed (`all`: every held-back count,
   * for shutdown), so that a burst that stops is still reported in full.
   */
  flush(all = false): void {
    const t = this.now();
    for (const [key, state] of this.keys) {
      if (state.pending === 0 || state.sample === undefined) continue;
      if (!all && t - state.lastEmit < this.windowMs) continue;
      const entry = { key, count: state.pending, sample: state.sample };
      state.lastEmit = t;
      state.pending = 0;
      state.sample = undefined;
      this.emit(entry);
    }
  }
}
