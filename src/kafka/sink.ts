import { type CompressionTypes, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { refusalType } from './refusal.js';
import { BATCH_OVERHEAD, recordBytes, recordBytesBound } from './record-size.js';
import type { OutRecord, Refusal, Sink } from './types.js';
import { compressionType } from './codecs/registry.js';
import type { OutputCompression } from './codecs/output-compression.js';
import { JavaCompatiblePartitioner } from './partitioner.js';

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
  /**
   * The largest record batch a topic accepts (its max.message.bytes). A request holds at most
   * this much for one topic, since kafkajs puts a partition's records of a request in one batch.
   */
  topicLimit?: (topic: string) => number;
}

interface Job {
  records: readonly OutRecord[];
  resolve: (refused: Refusal[]) => void;
  reject: (err: unknown) => void;
  refused: Refusal[];
}

/** One queued record: its job and its index there, so that a refusal finds its way back. */
interface Queued {
  job: Job;
  index: number;
  record: OutRecord;
}

/**
 * An idempotent producer with acks=all. kafkajs tracks idempotence sequence numbers only for one
 * request at a time (concurrent sends fail with OUT_OF_ORDER_SEQUENCE_NUMBER), so `send`s queue
 * up and go out one request at a time; sends that wait meanwhile are merged into the next request.
 * After a failed send the producer is replaced: a new producer id, no stale sequence state.
 *
 * A request the broker refuses for a record in it (MESSAGE_TOO_LARGE, …: ./refusal.ts) is split
 * in halves and sent again until the refused records stand alone; those are handed back to the
 * caller as refusals, everything else is written. Nothing of that restarts anything.
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
  private readonly topicLimit: (topic: string) => number;

  constructor(
    private readonly kafka: Kafka,
    opts: SinkOptions = {},
  ) {
    this.maxRequestBytes = opts.maxRequestBytes ?? 900_000;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;
    this.retries = opts.retries ?? 8;
    this.compression = compressionType(opts.compression ?? 'none');
    this.topicLimit = opts.topicLimit ?? (() => Number.POSITIVE_INFINITY);
  }

  async connect(): Promise<void> {
    await this.open();
  }

  send(records: readonly OutRecord[]): Promise<Refusal[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject, refused: [] });
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
          for (const request of requests(jobs, this.maxRequestBytes, this.topicLimit)) await this.write(request);
          for (const job of jobs) job.resolve(job.refused.sort((a, b) => a.index - b.index));
        } catch (err) {
          await this.reset();
          for (const job of jobs) job.reject(err);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Sends one request; on a refusal, its halves, down to the refused records alone. */
  private async write(request: readonly Queued[]): Promise<void> {
    const producer = await this.open();
    try {
      await producer.sendBatch({ acks: -1, timeout: this.ackTimeoutMs, compression: this.compression, topicMessages: topicMessages(request) });
    } catch (err) {
      const type = refusalType(err);
      if (type === undefined) throw err;
      // Other partitions of the request may have been written: a fresh producer id keeps the
      // idempotence sequence numbers of the resend clean (duplicates stay within at-least-once).
      await this.reset();
      if (request.length === 1) {
        const { job, index } = request[0] as Queued;
        job.refused.push({ index, error: `${type}: ${(err as Error).message}` });
        return;
      }
      const half = Math.ceil(request.length / 2);
      await this.write(request.slice(0, half));
      await this.write(request.slice(half));
    }
  }

  private open(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.opening ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // kafkajs' DefaultPartitioner hashes in time quadratic in the key's length.
        createPartitioner: JavaCompatiblePartitioner,
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

/**
 * Splits the queued records into requests of at most `maxBytes`, and of at most a topic's limit
 * for that topic, keeping each topic's order. A record's exact size (its UTF-8 count) is taken
 * only when the upper bounds of the request so far and of the record say it may not fit: the
 * cuts are those of exact sizes throughout (test/kafka/sink-requests.test.ts checks it).
 */
export function requests(jobs: readonly Job[] | readonly Pick<Job, 'records'>[], maxBytes: number, topicLimit: (topic: string) => number = () => Number.POSITIVE_INFINITY): Queued[][] {
  const out: Queued[][] = [];
  let current: Queued[] = [];
  /** Per record of `current`: its size, exact or an upper bound (`counted` says which). */
  let sizes: number[] = [];
  let counted: boolean[] = [];
  let allCounted = true;
  /** Sums of `sizes`, overall and per topic: exact once every record is counted. */
  let perTopic = new Map<string, number>();
  let size = 0;
  const close = () => {
    if (current.length === 0) return;
    out.push(current);
    current = [];
    sizes = [];
    counted = [];
    allCounted = true;
    perTopic = new Map();
    size = 0;
  };
  const countAll = () => {
    for (let i = 0; i < current.length; i++) {
      if (counted[i] === true) continue;
      const { record } = current[i] as Queued;
      const exact = recordBytes(record);
      const delta = exact - (sizes[i] as number);
      sizes[i] = exact;
      counted[i] = true;
      size += delta;
      perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + delta);
    }
    allCounted = true;
  };
  for (const job of jobs) {
    job.records.forEach((record, index) => {
      let bytes = recordBytesBound(record);
      let exact = typeof record.value !== 'string' && typeof record.key !== 'string';
      if (current.length > 0) {
        const limit = topicLimit(record.topic);
        const fits = (b: number) => {
          const topicBytes = perTopic.get(record.topic) ?? 0;
          return size + b <= maxBytes && (topicBytes === 0 || BATCH_OVERHEAD + topicBytes + b <= limit);
        };
        if (!fits(bytes)) {
          if (!allCounted) countAll();
          if (!exact) {
            bytes = recordBytes(record);
            exact = true;
          }
          if (!fits(bytes)) close();
        }
      }
      current.push({ job: job as Job, index, record });
      sizes.push(bytes);
      counted.push(exact);
      if (!exact) allCounted = false;
      perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + bytes);
      size += bytes;
    });
  }
  close();
  return out;
}

/** kafkajs' shape of a request: messages grouped by topic, in order. */
export function topicMessages(request: readonly Queued[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { record: r } of request) {
    let messages = byTopic.get(r.topic);
    if (messages === undefined) {
      messages = [];
      byTopic.set(r.topic, messages);
    }
    const message: Message = { key: r.key, value: r.value };
    if (r.headers !== undefined) message.headers = r.headers;
    messages.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
