import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchControl, InBatch, Sink } from '../../src/kafka/types.js';
import { NOOP_OBSERVER } from '../../src/pipeline/observer.js';
import { BankHolder } from '../../src/ruleset/bank-holder.js';
import { createBatchHandler } from '../../src/worker/batch-handler.js';
import { InFlightStore, type InFlightMarker } from '../../src/worker/inflight-store.js';
import { PoisonGuard } from '../../src/worker/poison-guard.js';
import { RateLimitedLog } from '../../src/worker/rate-limited-log.js';
import type { RecordProcessor } from '../../src/worker/record-outcome.js';
import { fakeBank, fakeProcessor } from './support/fake-core.js';

function batchOf(partition: number, values: string[], firstOffset: number): InBatch {
  return {
    topic: 'logs',
    partition,
    highWatermark: String(firstOffset + values.length),
    records: values.map((v, i) => ({ key: null, value: Buffer.from(v), offset: String(firstOffset + i), timestamp: '1', headers: {} })),
  };
}

const control: BatchControl = { heartbeat: async () => {}, isRunning: () => true, isStale: () => false, commit: async () => {} };
const sink: Sink = { connect: async () => {}, disconnect: async () => {}, send: async () => [] };

/**
 * The guard with batches of several partitions in hand at once, as kafkajs runs them
 * (partitionsConsumedConcurrently): what is on disk at the moment a record kills the worker is
 * what the next start blames.
 */
describe('batch handler with the poison-pill guard', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("blames a death on the record in hand, not on the last record of another partition's careful batch", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-guard-'));
    dirs.push(dir);
    const open = () => new InFlightStore(dir, 'g', 'w');
    // The previous process died with offsets 10..12 of partition 0 and 20..21 of partition 1 in hand.
    const died = new PoisonGuard(open(), { limit: 3 });
    died.begin('logs', 0, '10', '12');
    died.begin('logs', 1, '20', '21');

    // This process: a death (kill -9 leaves only the file) while partition 1's DIE record runs.
    let onDisk: InFlightMarker[] | undefined;
    const plain = fakeProcessor();
    const processor: RecordProcessor = (value, position, service) => {
      if (value?.toString() === 'DIE') onDisk = open().load();
      return plain(value, position, service);
    };
    const handler = createBatchHandler({
      settings: { outputTopic: 'out', dlqTopic: 'dlq', emit: 'matched', maxWriteBytes: 100_000 },
      banks: new BankHolder(fakeBank()),
      processorFor: () => processor,
      sink,
      observer: NOOP_OBSERVER,
      deadLetterWarnings: new RateLimitedLog(() => {}),
      guard: new PoisonGuard(open(), { limit: 3 }),
      heartbeatIntervalMs: 1000,
    });
    // Started one after the other without awaiting, as kafkajs starts the batches of one fetch:
    // partition 0's batch plans all its records, then partition 1's runs while 0's awaits.
    await Promise.all([handler(batchOf(0, ['a', 'b', 'c'], 10), control), handler(batchOf(1, ['x', 'DIE'], 20), control)]);

    expect(onDisk).toBeDefined();
    const byPartition = new Map((onDisk ?? []).map((m) => [m.partition, m]));
    expect(byPartition.get(1)).toMatchObject({ record: '21', crashes: 2 });
    const other = byPartition.get(0);
    expect(other).toBeDefined();
    expect(other?.record).toBeUndefined();
  });
});
