// Byte-exact kcat I/O for the worker's tests: multi-line and binary values in, raw bytes and
// headers out. test/support/kafka.ts has the line-based helpers; these cover what lines cannot.
import { spawn } from 'node:child_process';
import { brokerList } from '../../support/kafka.js';

/** Message and key delimiters for `kcat -P`: bytes the generated values never contain. */
const MESSAGE_DELIMITER = '\x1e';
const KEY_DELIMITER = '\x1f';

export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: number;
}

/**
 * Another broker than the run's shared one, or a secured listener of it: bootstrap address and
 * librdkafka settings (`-X security.protocol=…`).
 */
export interface KcatTarget {
  brokers: string;
  settings?: Readonly<Record<string, string>>;
}

export interface RawProduce {
  key: string;
  value: Buffer;
}

/**
 * Produces with `kcat -P` (acks=all, murmur2 partitioning like Java clients), any bytes in values;
 * `compression` is kcat's `-z` (librdkafka's compression.codec).
 */
export async function kcatProduceRaw(
  topic: string,
  messages: readonly RawProduce[],
  timeoutMs = 120_000,
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd' = 'none',
  target?: KcatTarget,
): Promise<void> {
  const parts: Buffer[] = [];
  for (const m of messages) {
    parts.push(Buffer.from(m.key), Buffer.from(KEY_DELIMITER), m.value, Buffer.from(MESSAGE_DELIMITER));
  }
  // Small record batches: the worker then sees many batches per partition, as with live traffic.
  const args = ['-P', '-t', topic, '-D', '\\x1e', '-K', '\\x1f', '-X', 'topic.partitioner=murmur2_random', '-X', 'acks=all', '-X', 'batch.num.messages=100', '-z', compression];
  const { stderr } = await runKcat(args, Buffer.concat(parts), timeoutMs, target);
  if (/Delivery failed|ERROR/.test(stderr.toString())) throw new Error(`kcat produce to ${topic} failed: ${stderr.toString().trim()}`);
}

/**
 * Produces one record with `kcat -P`: any key and value without the delimiter bytes (\x1e,
 * \x1f), headers as `-H name=value`, `extra` kcat arguments (e.g. -X message.max.bytes=…).
 */
export async function kcatProduceOne(
  topic: string,
  record: { key: Buffer; value: Buffer; headers?: readonly [string, string][] },
  extra: readonly string[] = [],
  timeoutMs = 120_000,
): Promise<void> {
  const headerArgs = (record.headers ?? []).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const args = ['-P', '-t', topic, '-D', '\\x1e', '-K', '\\x1f', '-X', 'topic.partitioner=murmur2_random', '-X', 'acks=all', ...headerArgs, ...extra];
  const input = Buffer.concat([record.key, Buffer.from(KEY_DELIMITER), record.value, Buffer.from(MESSAGE_DELIMITER)]);
  const { stderr } = await runKcat(args, input, timeoutMs);
  if (/Delivery failed|ERROR/.test(stderr.toString())) throw new Error(`kcat produce to ${topic} failed: ${stderr.toString().trim()}`);
}

/** Every message of a topic, byte for byte, read with `kcat -C -e` (to the end of each partition). */
export async function kcatConsumeRaw(topic: string, timeoutMs = 120_000, target?: KcatTarget): Promise<RawMessage[]> {
  const args = ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %K %S\n%k%s'];
  const { stdout } = await runKcat(args, Buffer.alloc(0), timeoutMs, target);
  const out: RawMessage[] = [];
  let at = 0;
  while (at < stdout.length) {
    const nl = stdout.indexOf(0x0a, at);
    if (nl < 0) throw new Error(`kcat output cut short at byte ${at}`);
    const [p, o, k, s] = stdout.toString('latin1', at, nl).split(' ').map(Number) as [number, number, number, number];
    at = nl + 1;
    const key = k >= 0 ? stdout.subarray(at, at + k) : null;
    at += Math.max(k, 0);
    const value = s >= 0 ? stdout.subarray(at, at + s) : null;
    at += Math.max(s, 0);
    out.push({ key, value, partition: p, offset: o });
  }
  return out;
}

export interface JsonMessage {
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers: Record<string, string>;
}

/** Every message of a topic with its headers, read with `kcat -C -e -J`. */
export async function kcatConsumeJson(topic: string, timeoutMs = 120_000, target?: KcatTarget): Promise<JsonMessage[]> {
  const { stdout } = await runKcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'], Buffer.alloc(0), timeoutMs, target);
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = JSON.parse(l) as { partition: number; offset: number; key: string | null; payload: string | null; headers?: string[] };
      const headers: Record<string, string> = {};
      const h = m.headers ?? [];
      for (let i = 0; i + 1 < h.length; i += 2) headers[h[i] as string] = h[i + 1] as string;
      return { partition: m.partition, offset: m.offset, key: m.key, payload: m.payload, headers };
    });
}

function runKcat(args: string[], input: Buffer, timeoutMs: number, target?: KcatTarget): Promise<{ stdout: Buffer; stderr: Buffer }> {
  const settings = Object.entries(target?.settings ?? {}).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', target?.brokers ?? brokerList().join(','), ...settings, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')}: no result in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${stderr.toString().trim()}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
