import { describe, expect, it } from 'vitest';
import type { BatchControl, InBatch, OutRecord, Sink } from '../../src/kafka/types.js';
import { NOOP_OBSERVER, type BatchReport, type PipelineObserver } from '../../src/pipeline/observer.js';
import { BankHolder } from '../../src/ruleset/bank-holder.js';
import { createBatchHandler } from '../../src/worker/batch-handler.js';
import type { DeadLetterInfo } from '../../src/worker/dead-letter.js';
import { RateLimitedLog, type RateLimitedEntry } from '../../src/worker/rate-limited-log.js';
import { fakeBank, fakeProcessor } from './support/fake-core.js';

type Step = string;

function batchOf(values: string[], firstOffset = 0): InBatch {
  return {
    topic: 'logs',
    partition: 1,
    highWatermark: String(firstOffset + values.length + 10),
    records: values.map((v, i) => ({ key: null, value: Buffer.from(v), offset: String(firstOffset + i), timestamp: '1', headers: {} })),
  };
}

function harness(opts: { refuse?: (r: OutRecord) => boolean; sendFails?: boolean; commitFails?: boolean; stale?: () => boolean; running?: () => boolean; heartbeatFails?: boolean } = {}) {
  const steps: Step[] = [];
  const sent: OutRecord[] = [];
  const reports: BatchReport[] = [];
  const commitErrors: Error[] = [];
  const warnings: RateLimitedEntry<DeadLetterInfo>[] = [];
  const bank = fakeBank();
  const banks = new BankHolder(bank);
  const sink: Sink = {
    connect: async () => {},
    disconnect: async () => {},
    send: async (records) => {
      steps.push(`send ${records.length}`);
      if (opts.sendFails) throw new Error('broker gone');
      const refused = records.flatMap((r, index) => (opts.refuse?.(r) ? [{ index, error: 'MESSAGE_TOO_LARGE: too large' }] : []));
      sent.push(...records.filter((_, i) => !refused.some((x) => x.index === i)));
      return refused;
    },
  };
  const observer: PipelineObserver = {
    ...NOOP_OBSERVER,
    batch: (r) => reports.push(r),
    commitFailed: (e) => commitErrors.push(e),
  };
  const control: BatchControl = {
    heartbeat: async () => {
      steps.push('heartbeat');
      if (opts.heartbeatFails) throw new Error('rebalancing');
    },
    isRunning: opts.running ?? (() => true),
    isStale: opts.stale ?? (() => false),
    commit: async (last) => {
      steps.push(`commit ${last}`);
      if (opts.commitFails) throw new Error('generation changed');
    },
  };
  const handler = createBatchHandler({
    settings: { outputTopic: 'out', dlqTopic: 'dlq', emit: 'matched', maxWriteBytes: 100_000 },
    banks,
    processorFor: () => fakeProcessor(),
    sink,
    observer,
    deadLetterWarnings: new RateLimitedLog((e) => warnings.push(e)),
    heartbeatIntervalMs: 0,
  });
  return { handler, control, steps, sent, reports, commitErrors, warnings, bank, banks };
}

describe('batch handler', () => {
  it('writes, then commits the last offset, then reports', async () => {
    const h = harness();
    await h.handler(batchOf(['a', 'MATCH:r1', 'BINARY', 'BINARY'], 50), h.control);
    expect(h.steps).toEqual(['send 3', 'commit 53']);
    expect(h.sent.map((r) => r.topic)).toEqual(['out', 'dlq', 'dlq']);
    expect(h.reports).toHaveLength(1);
    const r = h.reports[0] as BatchReport;
    expect(r).toMatchObject({ topic: 'logs', partition: 1, records: 4, unmatched: 1, deadLettered: { binary: 2 }, lastOffset: '53', highWatermark: '64' });
    expect(r.matched).toEqual([{ ruleIds: ['r1'], signals: ['pool-starvation'] }]);
    expect(r.latencySeconds).toBeGreaterThanOrEqual(0);
    expect(h.warnings).toEqual([{ key: 'binary', count: 2, sample: expect.objectContaining({ offset: '53' }) }]);
  });

  it('dead-letters what the broker refuses, then commits', async () => {
    const h = harness({ refuse: (r) => r.topic === 'out' && String(r.value).includes('HUGE') });
    await h.handler(batchOf(['MATCH:a', 'MATCH:HUGE', 'MATCH:b'], 10), h.control);
    expect(h.steps).toEqual(['send 3', 'send 1', 'commit 12']);
    expect(h.sent.map((r) => [r.topic, r.headers?.['faultline.reason'], r.headers?.['faultline.source.offset']])).toEqual([
      ['out', undefined, undefined],
      ['out', undefined, undefined],
      ['dlq', 'output-refused', '11'],
    ]);
    expect(h.reports[0]?.deadLettered).toEqual({ 'output-refused': 1 });
  });

  it('fails the batch without committing when even a cut dead letter is refused', async () => {
    const h = harness({ refuse: () => true });
    await expect(h.handler(batchOf(['MATCH:a'], 10), h.control)).rejects.toThrow(/dead-letter topic refused/);
    expect(h.steps).toEqual(['send 1', 'send 1']);
    expect(h.reports).toEqual([]);
  });

  it('commits without writing when nothing is to be written', async () => {
    const h = harness();
    await h.handler(batchOf(['a', 'b']), h.control);
    expect(h.steps).toEqual(['commit 1']);
  });

  it('does not commit when the write fails, and fails the batch', async () => {
    const h = harness({ sendFails: true });
    await expect(h.handler(batchOf(['MATCH:x']), h.control)).rejects.toThrow('broker gone');
    expect(h.steps).toEqual(['send 1']);
    expect(h.reports).toEqual([]);
  });

  it('reports a refused commit and fails the batch', async () => {
    const h = harness({ commitFails: true });
    await expect(h.handler(batchOf(['MATCH:x']), h.control)).rejects.toThrow('generation changed');
    expect(h.commitErrors.map((e) => e.message)).toEqual(['generation changed']);
    expect(h.reports).toEqual([]);
  });

  it('heartbeats during a long batch and writes nothing when the group rebalances', async () => {
    const h = harness({ heartbeatFails: true });
    const values = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? `MATCH:r${i}` : 'x'));
    await expect(h.handler(batchOf(values), h.control)).rejects.toThrow('rebalancing');
    expect(h.steps).toEqual(['heartbeat']);
  });

  it('heartbeats between slices of a long batch', async () => {
    const h = harness();
    await h.handler(batchOf(Array.from({ length: 1000 }, () => 'x')), h.control);
    expect(h.steps.filter((s) => s === 'heartbeat').length).toBeGreaterThan(1);
    expect(h.steps.at(-1)).toBe('commit 999');
  });

  it('drops a batch whose partition went stale, writing and committing nothing', async () => {
    const h = harness({ stale: () => true });
    await h.handler(batchOf(Array.from({ length: 300 }, () => 'MATCH:x')), h.control);
    expect(h.steps).toEqual([]);
  });

  it('on shutdown writes and commits the part done', async () => {
    const h = harness({ running: () => false });
    await h.handler(batchOf(Array.from({ length: 1000 }, () => 'MATCH:x')), h.control);
    expect(h.steps).toEqual(['send 128', 'commit 127']);
  });

  it('releases the bank after every batch, failed or not', async () => {
    const h = harness({ sendFails: true });
    await expect(h.handler(batchOf(['MATCH:x']), h.control)).rejects.toThrow();
    h.banks.swap(fakeBank());
    expect(h.bank.closed).toBe(true);
  });
});
