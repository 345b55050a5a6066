import { performance } from 'node:perf_hooks';

/**
 * Liveness for /healthz: the process answers, and its event loop is not starved. A timer is set
 * every `intervalMs`; how late it fires is the event-loop lag. A loop that is blocked outright
 * cannot answer /healthz at all (the probe times out, which is the right answer); this catches a
 * loop that answers now and then but is mostly busy, e.g. matching in long synchronous stretches.
 */

export interface LoopLagOptions {
  /** Lag above this makes the process unhealthy. */
  maxLagMs: number;
  /** Sampling period; default 500 ms. */
  intervalMs?: number;
  /** Milliseconds; defaults to performance.now. */
  now?: () => number;
}

export interface HealthStatus {
  ok: boolean;
  lagMs: number;
}

export class LoopLagMonitor {
  private readonly intervalMs: number;
  private readonly maxLagMs: number;
  private readonly now: () => number;
  private expectedAt = 0;
  private lastLagMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LoopLagOptions) {
    this.maxLagMs = options.maxLagMs;
    this.intervalMs = options.intervalMs ?? 500;
    this.now = options.now ?? (() => performance.now());
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.expectedAt = this.now() + this.intervalMs;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    // The monitor must never be what keeps the process alive at shutdown.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One timer tick: how late it came. Public so tests can drive it with a fake clock. */
  sample(): void {
    const at = this.now();
    this.lastLagMs = Math.max(0, at - this.expectedAt);
    this.expectedAt = at + this.intervalMs;
  }

  /**
   * The last tick's lag, or, if the next tick is overdue (the loop is busy right now, and this
   * call got in before the timer), how overdue it is.
   */
  status(): HealthStatus {
    const overdueMs = this.timer === undefined ? 0 : Math.max(0, this.now() - this.expectedAt);
    const lagMs = Math.max(this.lastLagMs, overdueMs);
    return { ok: lagMs <= this.maxLagMs, lagMs };
  }
}
