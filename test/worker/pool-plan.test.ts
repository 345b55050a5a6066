// A batch planned with its matching on the matcher threads writes exactly what the same batch
// planned on the main thread writes: same tagged events (byte for byte), same dead letters,
// same counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import type { BatchControl, InBatch } from '../../src/kafka/types.js';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import { MatcherPool } from '../../src/pool/matcher-pool.js';
import { poolBank, type PooledBank } from '../../src/pool/pooled-bank.js';
import { BatchPlan } from '../../src/worker/batch-plan.js';
import { coreProcessorFor } from '../../src/worker/core-processor.js';
import { planOnPool } from '../../src/worker/pool-plan.js';
import { otlpJsonMessage, otlpProtoMessage } from '../support/otlp-fixtures.js';
import { generateMixedRecords } from './support/mixed-records.js';

const RULES_DIR = new URL('../../rules', import.meta.url).pathname;
const SETTINGS = { outputTopic: 'out', dlqTopic: 'dlq', emit: 'all' as const, maxWriteBytes: 1_000_000 };
const CONTROL: BatchControl = { heartbeat: async () => {}, isRunning: () => true, isStale: () => false, commit: async () => {} };

let rules: Rule[];
let pool: MatcherPool;
let bank: PooledBank;

beforeAll(async () => {
  rules = (await loadRules([RULES_DIR])).rules;
  pool = new MatcherPool({ threads: 2, minChunkTexts: 16 });
  bank = await poolBank(pool, buildBank(rules).bank);
}, 60_000);
afterAll(async () => {
  bank.close();
  await pool.close();
});

async function batchOf(count: number, seed: number): Promise<InBatch> {
  const records = generateMixedRecords({ count, seed, maxRecordBytes: 4096, signatureShare: 0.2 }, rules);
  // OTLP export requests among them: one message, many records, each matched on its own.
  const example = rules.find((r) => (r.examples?.match.length ?? 0) > 0)?.examples?.match[0]?.text ?? 'x';
  const services = [{ resource: { 'service.name': 'orders' }, logs: [{ body: example, severityText: 'ERROR' }, { body: 'all good' }, { body: '' }] }];
  const otlp = [await otlpJsonMessage(services), await otlpProtoMessage(services)];
  otlp.forEach((value, k) => records.splice(10 + k * 50, 0, { rid: -1, key: 'otlp', value, expected: { kind: 'unmatched' } }));
  return {
    topic: 'logs',
    partition: 0,
    highWatermark: String(count),
    records: records.map((r, i) => ({ key: Buffer.from(r.key), value: r.value, offset: String(i), timestamp: String(1_700_000_000_000 + i), headers: {} })),
  };
}

describe('planOnPool', () => {
  it('writes what planning on the main thread writes', async () => {
    const config = resolveConfig('worker', {}, { KAFKA_BROKERS: '127.0.0.1:9', FAULTLINE_INPUT_TOPICS: 'logs', FAULTLINE_EMIT: 'all', FAULTLINE_MAX_RECORD_BYTES: '4096' });
    const processorFor = coreProcessorFor(config);
    const split = processorFor.split;
    if (split === undefined) throw new Error('the core processor comes in two steps');
    for (const seed of [1, 2, 3]) {
      const batch = await batchOf(600, seed);
      const headers = batch.records[60]?.headers;
      if (headers !== undefined) headers['content-type'] = 'application/x-protobuf';
      const here = new BatchPlan(batch.topic, batch.partition, SETTINGS, processorFor(bank));
      for (const r of batch.records) here.add(r);
      const pooled = await planOnPool(batch, CONTROL, bank, split(bank), SETTINGS, 1000);
      if (pooled === undefined) throw new Error('not stale: a plan is due');
      expect(pooled.writes).toEqual(here.writes);
      expect(pooled.matched.length).toBeGreaterThan(50);
      // The OTLP requests were read as such: records with their index in the request.
      expect(pooled.writes.filter((w) => String(w.value).includes('"index":2')).length).toBe(2);
      expect({ m: pooled.matched, u: pooled.unmatched, d: pooled.deadLettered, i: pooled.decodeIssues, last: pooled.lastOffset }).toEqual({
        m: here.matched,
        u: here.unmatched,
        d: here.deadLettered,
        i: here.decodeIssues,
        last: here.lastOffset,
      });
    }
  }, 120_000);

  it('dead-letters records over the key and header limits unread, and the records after them keep their own matches', async () => {
    const config = resolveConfig('worker', {}, { KAFKA_BROKERS: '127.0.0.1:9', FAULTLINE_INPUT_TOPICS: 'logs', FAULTLINE_EMIT: 'all', FAULTLINE_MAX_RECORD_BYTES: '4096' });
    const processorFor = coreProcessorFor(config);
    const split = processorFor.split!;
    const limited = { ...SETTINGS, recordLimits: { maxKeyBytes: 64, maxHeaders: 3, maxHeaderBytes: 1024 } };
    const batch = await batchOf(400, 7);
    for (const i of [5, 90, 91, 300]) batch.records[i]!.key = Buffer.alloc(100, 'k');
    batch.records[200]!.headers = Object.fromEntries(Array.from({ length: 5 }, (_, h) => [`h${h}`, 'v']));
    const here = new BatchPlan(batch.topic, batch.partition, limited, processorFor(bank));
    for (const r of batch.records) here.add(r);
    const pooled = await planOnPool(batch, CONTROL, bank, split(bank), limited, 1000);
    expect(here.deadLettered).toMatchObject({ 'key-too-large': 4, 'too-many-headers': 1 });
    expect(pooled?.writes).toEqual(here.writes);
    expect(pooled?.deadLettered).toEqual(here.deadLettered);
    expect(pooled?.matched).toEqual(here.matched);
  }, 120_000);

  it('plans nothing for a batch gone stale, and the records decoded so far on shutdown', async () => {
    const config = resolveConfig('worker', {}, { KAFKA_BROKERS: '127.0.0.1:9', FAULTLINE_INPUT_TOPICS: 'logs' });
    const split = coreProcessorFor(config).split;
    if (split === undefined) throw new Error('the core processor comes in two steps');
    const batch = await batchOf(300, 4);
    expect(await planOnPool(batch, { ...CONTROL, isStale: () => true }, bank, split(bank), SETTINGS, 1000)).toBeUndefined();
    const partial = await planOnPool(batch, { ...CONTROL, isRunning: () => false }, bank, split(bank), SETTINGS, 1000);
    // Checked every 128 records: the first 128 are planned, then the loop stops.
    expect(partial?.records).toBe(128);
    expect(partial?.lastOffset).toBe('127');
  }, 60_000);
});
