import { Partitioners, type CompressionTypes, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { OutRecord, Sink } from './types.js';
import { compressionType } from './codecs/registry.js';
import type { OutputCompression } from './codecs/output-compression.js';

export interface SinkOptions {
  /**
   * Records go out in produce requests of at most about this many bytes. kafkajs puts all of a
   * request's records for one partition into one record batch, which the broker refuses above
   * its message.max.bytes (1 MiB by default).
   */
  maxRequestBytes?: number;
  /** How long the broker may wait for the in-sync replicas before failing a write. */
  ackTimeoutMs?: number;
  /** kafkajs retries of one request before `send` fails (with backoff, 0.3 s doubling to 10 s). */
  retries?: number;
  /** Codec of the produced record batches (default none). */
  compression?: OutputCompression;
}

/** Per-record overhead in a v2 record batch, roughly: lengths, varints, attributes. */
const RECORD_OVERHEAD = 64;

interface Job {
  records: readonly OutRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * An idempotent producer with acks=all. kafkajs tracks idempotence sequence numbers only for one
 * request at a time (concurrent sends fail with OUT_OF_ORDER_SEQUENCE_NUMBER), so `send`s queue
 * up and go out one request at a time; sends that wait meanwhile are merged into the next request.
 * After a failed send the producer is replaced: a new producer id, no stale sequence state.
 */
export class KafkajsSink implements Sink {
  private producer: Producer | undefined;
  private opening: Promise<Producer> | undefined;
  private readonly queue: Job[] = [];
  private pumping = false;
  private readonly maxRequestBytes: number;
  private readonly ackTimeoutMs: number;
  private readonly retries: number;
  private readonly compression: CompressionTypes;

  constructor(
    private readonly kafka: Kafka,
    opts: SinkOptions = {},
  ) {
    this.maxRequestBytes = opts.maxRequestBytes ?? 900_000;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;
    this.retries = opts.retries ?? 8;
    this.compression = compressionType(opts.compression ?? 'none');
  }

  async connect(): Promise<void> {
    await this.open();
  }

  send(records: readonly OutRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      void this.pump();
    });
  }

  async disconnect(): Promise<void> {
    const producer = this.producer ?? (await this.opening?.catch(() => undefined));
    this.producer = undefined;
    this.opening = undefined;
    await producer?.disconnect();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue.splice(0, this.queue.length);
        try {
          const producer = await this.open();
          for (const request of requests(jobs, this.maxRequestBytes)) {
            await producer.sendBatch({ acks: -1, timeout: this.ackTimeoutMs, compression: this.compression, topicMessages: request });
          }
          for (const job of jobs) job.resolve();
        } catch (err) {
          await this.reset();
          for (const job of jobs) job.reject(err);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private open(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.opening ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: this.retries, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      try {
        await producer.connect();
      } catch (err) {
        this.opening = undefined;
        await producer.disconnect().catch(() => undefined);
        throw err;
      }
      this.producer = producer;
      this.opening = undefined;
      return producer;
    })();
    return this.opening;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

/** Splits the queued records into requests of at most `maxBytes`, keeping each topic's order. */
export function requests(jobs: readonly { records: readonly OutRecord[] }[], maxBytes: number): TopicMessages[][] {
  const out: TopicMessages[][] = [];
  let current = new Map<string, Message[]>();
  let size = 0;
  const close = () => {
    if (current.size === 0) return;
    out.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    size = 0;
  };
  for (const job of jobs) {
    for (const r of job.records) {
      const bytes = recordBytes(r);
      if (size > 0 && size + bytes > maxBytes) close();
      let messages = current.get(r.topic);
      if (messages === undefined) {
        messages = [];
        current.set(r.topic, messages);
      }
      const message: Message = { key: r.key, value: r.value };
      if (r.headers !== undefined) message.headers = r.headers;
      messages.push(message);
      size += bytes;
    }
  }
  close();
  return out;
}

function recordBytes(r: OutRecord): number {
  let n = RECORD_OVERHEAD + byteLength(r.key) + byteLength(r.value);
  if (r.headers !== undefined) {
    for (const [k, v] of Object.entries(r.headers)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) n += k.length + byteLength(item) + 8;
    }
  }
  return n;
}

function byteLength(v: Buffer | string | null): number {
  if (v === null) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}
