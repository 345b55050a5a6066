/**
 * Whether the worker is doing its job, as /readyz reports it: rules loaded, consumer a member of
 * its group, not in the middle of a rebalance, its fetches answered, and the broker not
 * unreachable for longer than a grace period.
 *
 * "A member" alone is not enough: when the broker dies, kafkajs keeps believing it is a member
 * while it retries its fetch (about 40 s with our retry settings) before it gives up and restarts
 * the consumer; after a broker restart the new join waits until the broker expires the old
 * member's session (docs/deployment.md#broker-restarts-and-the-rejoin-wait). So readiness also
 * asks for progress: a fetch answered, a heartbeat or a commit at least every `stallMs`. An
 * idle but healthy member gets an (empty) fetch answer every maxWaitTime (1 s), and a busy one
 * heartbeats every few seconds while it plans a batch, so 10 s without any is a consumer that
 * is not consuming.
 *
 * Fed by the pipeline observer's events; time comes from an injected clock so that the broker
 * grace period can be tested without waiting.
 */

import type { UnreadableBatch } from '../kafka/unreadable-batch.js';

export interface ReadinessOptions {
  /** How long the broker may be unreachable before the worker is reported not ready. */
  brokerDownGraceMs: number;
  /** A member with no fetch, heartbeat or commit answered for this long is not consuming. Default 10 s. */
  stallMs?: number;
  /** The consumer's session timeout, quoted in the reasons (a rejoin after a broker restart waits up to it). */
  sessionTimeoutMs?: number;
  /** Milliseconds, monotonic enough for differences; defaults to Date.now. */
  now?: () => number;
}

export interface ReadinessStatus {
  ready: boolean;
  /** Why not ready; empty when ready. */
  reasons: string[];
}

export class Readiness {
  private rulesLoaded = false;
  private joined = false;
  private rebalancing = false;
  private brokerDownSince: number | undefined;
  /** Why the consumer stopped (it crashed and is restarting); cleared by the next join. */
  private stoppedReason: string | undefined;
  private everJoined = false;
  private lastProgress: number;
  private readonly stallMs: number;
  private readonly sessionTimeoutMs: number | undefined;
  private stalls: readonly UnreadableBatch[] = [];
  private readonly now: () => number;
  private readonly graceMs: number;

  constructor(options: ReadinessOptions) {
    this.graceMs = options.brokerDownGraceMs;
    this.now = options.now ?? Date.now;
    this.stallMs = options.stallMs ?? 10_000;
    this.sessionTimeoutMs = options.sessionTimeoutMs;
    this.lastProgress = this.now();
  }

  /** A failed reload keeps the previous bank, so it does not make a ready worker unready. */
  rules(ok: boolean): void {
    if (ok) this.rulesLoaded = true;
  }

  groupJoined(): void {
    this.joined = true;
    this.everJoined = true;
    this.rebalancing = false;
    this.stoppedReason = undefined;
    this.lastProgress = this.now();
  }

  /** The consumer crashed: it is no member until it has restarted and joined again. */
  consumerStopped(reason: string): void {
    this.joined = false;
    this.rebalancing = false;
    this.stoppedReason = reason;
  }

  /** A fetch answered (even empty), a heartbeat or a commit went through. */
  consumerProgress(): void {
    this.lastProgress = this.now();
  }

  rebalance(event: 'assigned' | 'revoked'): void {
    if (event === 'revoked') {
      this.rebalancing = true;
    } else if (this.joined) {
      this.rebalancing = false;
    }
  }

  brokerConnection(up: boolean): void {
    // Reachable again after a crash: the consumer is now waiting to re-join, not restarting.
    if (up) this.stoppedReason = undefined;
    if (up) this.brokerDownSince = undefined;
    else this.brokerDownSince ??= this.now();
  }

  /**
   * A partition paused on a batch it cannot read: the worker no longer does its whole job, and
   * waiting will not fix it (docs/runbook.md#faultlinepartitionstalled).
   */
  partitionStalls(stalls: readonly UnreadableBatch[]): void {
    this.stalls = [...stalls];
  }

  status(): ReadinessStatus {
    const reasons: string[] = [];
    if (!this.rulesLoaded) reasons.push('rules not loaded');
    if (!this.joined) {
      if (this.stoppedReason !== undefined) {
        reasons.push(`consumer stopped (${this.stoppedReason}): restarting, then re-joining its group${this.rejoinNote()}`);
      } else if (this.everJoined) {
        reasons.push(`consumer is re-joining its group${this.rejoinNote()}`);
      } else {
        reasons.push('consumer has not joined its group');
      }
    }
    if (this.rebalancing) reasons.push(`consumer group is rebalancing: re-joining${this.rejoinNote()}`);
    if (this.joined && !this.rebalancing) {
      const idleMs = this.now() - this.lastProgress;
      if (idleMs > this.stallMs) {
        reasons.push(`consumer is not consuming: no fetch, heartbeat or commit answered for ${Math.round(idleMs / 1000)}s`);
      }
    }
    if (this.brokerDownSince !== undefined) {
      const downMs = this.now() - this.brokerDownSince;
      if (downMs > this.graceMs) reasons.push(`broker unreachable for ${Math.round(downMs / 1000)}s`);
    }
    for (const s of this.stalls) {
      reasons.push(`partition ${s.topic}[${s.partition}] stalled at offset ${s.offset}: ${s.reason} (${s.error})`);
    }
    return { ready: reasons.length === 0, reasons };
  }

  private rejoinNote(): string {
    // Not "; ": that separates the reasons in the /readyz body.
    const upTo = this.sessionTimeoutMs === undefined ? '' : `, up to ${Math.round(this.sessionTimeoutMs / 1000)}s`;
    return ` (after a broker restart the join waits for the broker to expire the old member's session${upTo})`;
  }

  get memberOfGroup(): boolean {
    return this.joined && !this.rebalancing;
  }
}
