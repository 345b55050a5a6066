// Shared set-up of the worker's Kafka tests: the generated input on fresh topics, and the
// worker's configuration for them.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type Config } from '../../../src/config/config.js';
import { loadRules } from '../../../src/kb/load.js';
import { brokerList, committedOffsets, createTopic, uniqueTopicName, waitUntil } from '../../support/kafka.js';
import { placeRecords, endOffsets, type Placed } from './expectations.js';
import { kcatConsumeRaw, kcatProduceRaw } from './kcat-io.js';
import { generateMixedRecords, type MixedRecord } from './mixed-records.js';

export { memoryLogger } from './memory-logger.js';

/**
 * A copy of rules/ taken once per test file: the expectations and the worker must see the same
 * rules even while someone edits rules/.
 */
export const RULES_DIR = snapshotRules();

function snapshotRules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
  cpSync(fileURLToPath(new URL('../../../rules', import.meta.url)), dir, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Small, so that poison records stay small too (the option's minimum is 256). */
export const MAX_RECORD_BYTES = 4096;

export interface Scenario {
  input: string;
  output: string;
  dlq: string;
  groupId: string;
  records: MixedRecord[];
  placed: Map<string, Placed>;
  ends: Map<number, number>;
}

/** Fresh topics, `count` generated records produced with kcat, and where each one landed. */
export async function prepareScenario(count: number, seed: number, partitions = 4): Promise<Scenario> {
  const s = await createScenarioTopics(partitions);
  await produceScenario(s, count, seed);
  return s;
}

/** The topics and group of a scenario, before any record is produced. */
export async function createScenarioTopics(partitions = 4): Promise<Scenario> {
  const input = await createTopic({ prefix: 'logs', partitions });
  const output = await createTopic({ prefix: 'matches', partitions: 3 });
  const dlq = await createTopic({ prefix: 'dlq', partitions: 2 });
  return { input, output, dlq, groupId: uniqueTopicName('group'), records: [], placed: new Map(), ends: new Map() };
}

/** Produces the generated records with kcat (in record batches of at most 100) and reads them back. */
export async function produceScenario(s: Scenario, count: number, seed: number): Promise<void> {
  const { rules } = await loadRules([RULES_DIR]);
  s.records = generateMixedRecords({ count, seed, maxRecordBytes: MAX_RECORD_BYTES }, rules);
  await kcatProduceRaw(s.input, s.records.map((r) => ({ key: r.key, value: r.value })));
  const back = await kcatConsumeRaw(s.input);
  s.placed = placeRecords(s.records, back);
  s.ends = endOffsets(back);
}

/** The environment of a worker process for a scenario. */
export function workerEnv(s: Scenario, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FAULTLINE_INPUT_TOPICS: s.input,
    FAULTLINE_OUTPUT_TOPIC: s.output,
    FAULTLINE_DLQ_TOPIC: s.dlq,
    FAULTLINE_GROUP_ID: s.groupId,
    FAULTLINE_FROM_BEGINNING: 'true',
    FAULTLINE_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
    FAULTLINE_RULES: RULES_DIR,
    ...extra,
  };
}

/** The same settings as a Config, for a worker run inside the test process. */
export function workerConfig(s: Scenario, extra: Record<string, string> = {}): Config {
  return resolveConfig('worker', {}, { KAFKA_BROKERS: brokerList().join(','), FAULTLINE_METRICS_PORT: '0', ...workerEnv(s, extra) });
}

/** Resolves once the group's committed offsets reached the end of every input partition. */
export async function waitForCommitsAtEnd(s: Scenario, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const committed = await committedOffsets(s.groupId, s.input);
      return [...s.ends].every(([p, end]) => committed.get(p) === end);
    },
    { timeoutMs, intervalMs: 500, what: `group ${s.groupId} to commit the end of ${s.input}` },
  );
}

/**
 * A Config for a worker run inside the test process on fresh topics: its own group, from the
 * beginning, every record emitted (so each input offset can be accounted for).
 */
export function emitAllConfig(input: string, output: string, extra: Record<string, string> = {}): Config {
  return resolveConfig('worker', {}, {
    KAFKA_BROKERS: brokerList().join(','),
    FAULTLINE_INPUT_TOPICS: input,
    FAULTLINE_OUTPUT_TOPIC: output,
    FAULTLINE_DLQ_TOPIC: `${output}-dlq`,
    FAULTLINE_GROUP_ID: uniqueTopicName('group'),
    FAULTLINE_FROM_BEGINNING: 'true',
    FAULTLINE_EMIT: 'all',
    ...extra,
  });
}

/**
 * The matcher-thread settings the worker's delivery tests run under: matching on the main
 * thread, and on a pool of two threads (batches of different partitions matched at once).
 */
export const MATCH_THREAD_VARIANTS = ['1', '2'] as const;
