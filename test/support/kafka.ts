// Helpers for tests of the "kafka" project (test/**/*.kafka.test.ts): the broker, unique topics,
// producing/consuming from outside Node with kcat, committed offsets, bounded waits, and broker
// faults (stop/kill/start/restart) where the broker allows them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { inject } from 'vitest';
import type { KafkaBrokerInfo } from './kafka-context.js';
import { runKafkaScript } from './kafka-script.js';
import { warmUpGroupCoordinator } from './kafka-warmup.js';

export type { KafkaBrokerInfo } from './kafka-context.js';

/** The broker of this test run (set up once by test/support/kafka-global-setup.ts). */
export function kafkaBroker(): KafkaBrokerInfo {
  return inject('kafka');
}

export function brokerList(): string[] {
  return kafkaBroker().brokers;
}

/**
 * A kafkajs client for the test broker. Quiet unless KAFKAJS_LOG=debug|info|warn|error.
 * Give test consumers a small maxWaitTimeInMs: disconnect() waits out the fetch in flight.
 */
export function newKafka(clientId = 'faultline-tests'): Kafka {
  const levels = { debug: logLevel.DEBUG, info: logLevel.INFO, warn: logLevel.WARN, error: logLevel.ERROR } as const;
  const wanted = process.env.KAFKAJS_LOG as keyof typeof levels | undefined;
  return new Kafka({
    clientId,
    brokers: brokerList(),
    logLevel: (wanted && levels[wanted]) ?? logLevel.NOTHING,
  });
}

/** A topic name no other test (or earlier run on a reused broker) has used. */
export function uniqueTopicName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface CreateTopicOptions {
  partitions?: number;
  prefix?: string;
  /** Topic-level configs, e.g. { 'retention.ms': '60000' }. */
  configs?: Record<string, string>;
}

/** Creates a unique topic (default 4 partitions) and returns once every partition has a leader. */
export async function createTopic(options: CreateTopicOptions = {}): Promise<string> {
  const topic = uniqueTopicName(options.prefix);
  const spec: ITopicConfig = {
    topic,
    numPartitions: options.partitions ?? 4,
    replicationFactor: 1,
    configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
  };
  const admin = newKafka('faultline-tests-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [spec], waitForLeaders: true, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/**
 * Committed offsets of a consumer group on one topic: partition -> next offset to read
 * (-1 when the group has committed nothing there).
 */
export async function committedOffsets(groupId: string, topic: string, kafka: Kafka = newKafka('faultline-tests-admin')): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error: "timed out after 10000 ms waiting for <what>". */
  what?: string;
}

/**
 * Polls `probe` until it returns a truthy value (returned) or the deadline passes (throws, with
 * the probe's last error as cause). A probe that throws counts as "not yet".
 */
export async function waitUntil<T>(probe: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

// ---- kcat: a second, independent client (librdkafka) driven like a user would ----

export interface KcatMessage {
  key: string | null;
  value: string | null;
  partition: number;
  offset: number;
}

export interface ProduceMessage {
  key?: string;
  value: string;
}

/**
 * Produces with `kcat -P` (acks=all). Keys are partitioned with murmur2 like Java clients and
 * kafkajs' default partitioner, so a key lands where the worker's own producer would put it.
 * Keys and values are single lines without tabs (kcat's line format).
 */
export async function kcatProduce(
  topic: string,
  messages: ReadonlyArray<ProduceMessage | string>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const lines = messages.map((m) => {
    const { key, value } = typeof m === 'string' ? { key: undefined, value: m } : m;
    if (/[\t\n\r]/.test(value) || (key !== undefined && /[\t\n\r]/.test(key))) {
      throw new Error(`kcatProduce: keys and values must not contain tabs or line breaks: ${JSON.stringify(m)}`);
    }
    return key === undefined ? value : `${key}\t${value}`;
  });
  const input = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  const args = ['-P', '-t', topic, '-K', '\t', '-X', 'topic.partitioner=murmur2_random', '-X', 'acks=all'];
  const { stderr } = await runKcat(args, input, options.timeoutMs ?? 60_000);
  if (/Delivery failed|ERROR/.test(stderr)) throw new Error(`kcat produce to ${topic} failed: ${stderr.trim()}`);
}

/**
 * Reads a topic from the beginning with `kcat -C`: `count` messages (waiting for them up to
 * `timeoutMs`), or, without `count`, whatever is there until the end of every partition.
 */
export async function kcatConsume(
  topic: string,
  options: { count?: number; timeoutMs?: number } = {},
): Promise<KcatMessage[]> {
  const args = ['-C', '-t', topic, '-o', 'beginning', '-J', '-q'];
  if (options.count !== undefined) args.push('-c', String(options.count));
  else args.push('-e');
  const { stdout } = await runKcat(args, '', options.timeoutMs ?? 60_000);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m = JSON.parse(line) as { key: string | null; payload: string | null; partition: number; offset: number };
      return { key: m.key, value: m.payload, partition: m.partition, offset: m.offset };
    });
}

function runKcat(args: string[], input: string, timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', brokerList().join(','), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')}: no result in ${timeoutMs} ms (got ${stdout.split('\n').length - 1} lines)`));
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT' ? new Error('kcat is not installed: run bash scripts/ci/install-system-deps.sh') : err,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
    child.stdin.on('error', () => {}); // an early exit is reported by 'close'
    child.stdin.end(input);
  });
}

// ---- broker faults: only for a broker run by scripts/kafka (kafkaBroker().restartable) ----

function scriptControl(action: 'stop' | 'kill' | 'start' | 'restart'): Promise<void> {
  const broker = kafkaBroker();
  if (!broker.restartable || !broker.scriptEnv) {
    return Promise.reject(
      new Error(`cannot ${action} a broker from ${broker.source}; guard the test with kafkaBroker().restartable`),
    );
  }
  return runKafkaScript([action], { ...broker.scriptEnv }, 5 * 60_000).then(async () => {
    // Back up means serving groups too: the coordinator reloads __consumer_offsets after a start.
    if (action === 'start' || action === 'restart') await warmUpGroupCoordinator(broker.brokers);
  });
}

/** Controlled shutdown (SIGTERM); data and committed offsets are kept. */
export const stopBroker = (): Promise<void> => scriptControl('stop');
/** SIGKILL: a crash. Data written before it is kept (the OS still has it). */
export const killBroker = (): Promise<void> => scriptControl('kill');
/** Starts the stopped/killed broker again with its data; resolves once it serves groups. */
export const startBroker = (): Promise<void> => scriptControl('start');
export const restartBroker = (): Promise<void> => scriptControl('restart');
