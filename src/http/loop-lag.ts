import { performance } from 'node:perf_hooks';

/**
 * Liveness for /healthz: the process answers, and its event loop is not starved. A timer is set
 * every `intervalMs`; how late it fires is the event-loop lag. A loop that is blocked outright
 * cannot answer /healthz at all (the probe times out, which is the right answer); this catches a
 * loop that answers now and then but is mostly busy, e.g. matching in long synchronous stretches.
 *
 * How the limit (FAULTLINE_HEALTH_MAX_LOOP_LAG_MS, 5 s) fits the rest: a healthy worker yields
 * at least every heartbeat interval (~1 s) while it plans a batch, and a rules reload compiles in
 * one synchronous step of 0.1-0.8 s, so its lag stays well under 5 s even on a loaded node. The
 * Kubernetes liveness probe (k8s/base/deployment.yaml) waits 6 s for an answer, more than the
 * limit, so a lag just under it still answers 200, and restarts only after 3 failures 10 s apart:
 * a stall is a restart within ~30 s, a slow moment is none (docs/deployment.md#health-probes).
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
