/**
 * Whether the worker is doing its job, as /readyz reports it: rules loaded, consumer a member of
 * its group, not in the middle of a rebalance, and the broker not unreachable for longer than a
 * grace period (short broker blips are normal: kafkajs reconnects on its own, and flapping
 * readiness on every blip would only add noise).
 *
 * Fed by the pipeline observer's events; time comes from an injected clock so that the broker
 * grace period can be tested without waiting.
 */

import type { UnreadableBatch } from '../kafka/unreadable-batch.js';

export interface ReadinessOptions {
  /** How long the broker may be unreachable before the worker is reported not ready. */
  brokerDownGraceMs: number;
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
  private stalls: readonly UnreadableBatch[] = [];
  private readonly now: () => number;
  private readonly graceMs: number;

  constructor(options: ReadinessOptions) {
    this.graceMs = options.brokerDownGraceMs;
    this.now = options.now ?? Date.now;
  }

  /** A failed reload keeps the previous bank, so it does not make a ready worker unready. */
  rules(ok: boolean): void {
    if (ok) this.rulesLoaded = true;
  }

  groupJoined(): void {
    this.joined = true;
    this.rebalancing = false;
  }

  rebalance(event: 'assigned' | 'revoked'): void {
    if (event === 'revoked') {
      this.rebalancing = true;
    } else if (this.joined) {
      this.rebalancing = false;
    }
  }

  brokerConnection(up: boolean): void {
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
    if (!this.joined) reasons.push('consumer has not joined its group');
    if (this.rebalancing) reasons.push('consumer group is rebalancing');
    if (this.brokerDownSince !== undefined) {
      const downMs = this.now() - this.brokerDownSince;
      if (downMs > this.graceMs) reasons.push(`broker unreachable for ${Math.round(downMs / 1000)}s`);
    }
    for (const s of this.stalls) {
      reasons.push(`partition ${s.topic}[${s.partition}] stalled at offset ${s.offset}: ${s.reason} (${s.error})`);
    }
    return { ready: reasons.length === 0, reasons };
  }

  get memberOfGroup(): boolean {
    return this.joined && !this.rebalancing;
  }
}
