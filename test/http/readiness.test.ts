import { describe, expect, it } from 'vitest';
import { Readiness } from '../../src/http/readiness.js';
import { LoopLagMonitor } from '../../src/http/loop-lag.js';

describe('Readiness', () => {
  it('is ready only with rules loaded and the group joined, and not during a rebalance', () => {
    const r = new Readiness({ brokerDownGraceMs: 30_000, now: () => 0 });
    expect(r.status()).toEqual({ ready: false, reasons: ['rules not loaded', 'consumer has not joined its group'] });
    r.rules(false);
    expect(r.status().reasons).toContain('rules not loaded');
    r.rules(true);
    expect(r.status()).toEqual({ ready: false, reasons: ['consumer has not joined its group'] });
    r.rebalance('assigned');
    expect(r.status().ready).toBe(false);
    r.groupJoined();
    expect(r.status()).toEqual({ ready: true, reasons: [] });
    r.rebalance('revoked');
    expect(r.status().ready).toBe(false);
    expect(r.status().reasons).toEqual([expect.stringMatching(/^consumer group is rebalancing: re-joining \(after a broker restart/)]);
    r.rebalance('assigned');
    expect(r.status().ready).toBe(true);
    r.rebalance('revoked');
    r.groupJoined();
    expect(r.status().ready).toBe(true);
    // A failed reload keeps the previous bank: still ready.
    r.rules(false);
    expect(r.status().ready).toBe(true);
  });

  it('tolerates a broker outage up to the grace period, then reports not ready until it is back', () => {
    let now = 1_000;
    // Progress is the next test's subject: here the consumer is taken to be fetching.
    const r = new Readiness({ brokerDownGraceMs: 30_000, stallMs: 3_600_000, now: () => now });
    r.rules(true);
    r.groupJoined();
    r.brokerConnection(false);
    now += 30_000;
    expect(r.status().ready).toBe(true);
    // Repeated "down" reports do not restart the outage clock.
    r.brokerConnection(false);
    now += 1;
    expect(r.status()).toEqual({ ready: false, reasons: ['broker unreachable for 30s'] });
    now += 60_000;
    expect(r.status().reasons).toEqual(['broker unreachable for 90s']);
    r.brokerConnection(true);
    expect(r.status().ready).toBe(true);
    r.brokerConnection(false);
    now += 10_000;
    expect(r.status().ready).toBe(true);
  });

  it('is not ready while a member makes no progress, while the consumer restarts, and during the rejoin', () => {
    let now = 0;
    const r = new Readiness({ brokerDownGraceMs: 30_000, stallMs: 10_000, sessionTimeoutMs: 30_000, now: () => now });
    r.rules(true);
    r.groupJoined();
    // An idle member: an empty fetch answer every second keeps it ready indefinitely.
    for (let i = 0; i < 60; i++) {
      now += 1_000;
      r.consumerProgress();
    }
    expect(r.status()).toEqual({ ready: true, reasons: [] });
    // The broker dies: kafkajs still believes it is a member while it retries its fetch.
    now += 10_000;
    expect(r.status().ready).toBe(true);
    now += 1;
    expect(r.status()).toEqual({ ready: false, reasons: ['consumer is not consuming: no fetch, heartbeat or commit answered for 10s'] });
    // kafkajs gives up and restarts the consumer: no longer a member, and the reason says why.
    r.consumerStopped('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(r.status().reasons).toEqual([
      "consumer stopped (Connection error: connect ECONNREFUSED 127.0.0.1:9092): restarting, then re-joining its group (after a broker restart the join waits for the broker to expire the old member's session, up to 30s)",
    ]);
    // Back: the new consumer connected and waits for its join.
    r.brokerConnection(true);
    expect(r.status().reasons).toEqual([
      "consumer is re-joining its group (after a broker restart the join waits for the broker to expire the old member's session, up to 30s)",
    ]);
    expect(r.memberOfGroup).toBe(false);
    // Heartbeats of a join in progress do not make it ready: only the join does.
    r.consumerProgress();
    expect(r.status().ready).toBe(false);
    now += 25_000;
    r.groupJoined();
    expect(r.status()).toEqual({ ready: true, reasons: [] });
    // The kafkajs path without a crash: the fetch comes back with "rebalance in progress".
    r.rebalance('revoked');
    now += 60_000;
    expect(r.status().reasons).toEqual([expect.stringMatching(/^consumer group is rebalancing/)]);
    r.groupJoined();
    expect(r.status().ready).toBe(true);
  });
});

describe('LoopLagMonitor', () => {
  it('is healthy while timer ticks come on time and unhealthy when one comes later than the threshold', () => {
    let now = 0;
    const m = new LoopLagMonitor({ maxLagMs: 1_000, intervalMs: 500, now: () => now });
    m.start();
    try {
      now = 510;
      m.sample();
      expect(m.status()).toEqual({ ok: true, lagMs: 10 });
      now = 510 + 500 + 2_500;
      m.sample();
      expect(m.status()).toEqual({ ok: false, lagMs: 2_500 });
      now += 500;
      m.sample();
      expect(m.status()).toEqual({ ok: true, lagMs: 0 });
      // No tick for a while (the loop is busy and this probe got in first): the overdue time counts.
      now += 500 + 1_200;
      expect(m.status()).toEqual({ ok: false, lagMs: 1_200 });
    } finally {
      m.stop();
    }
  });

  it('measures real ticks once started', async () => {
    const m = new LoopLagMonitor({ maxLagMs: 60_000, intervalMs: 5 });
    m.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    m.stop();
    expect(m.status().ok).toBe(true);
  });
});
