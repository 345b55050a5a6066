import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crashKind, crashLine } from '../../src/worker/crash-kind.js';

// kafkajs's own error classes and protocol error table, so the test follows what it throws.
const require = createRequire(import.meta.url);
const errors = require('kafkajs/src/errors.js') as Record<string, new (e: unknown, opts?: unknown) => Error>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error };

function retried(inner: Error): Error {
  const NumberOfRetriesExceeded = errors.KafkaJSNumberOfRetriesExceeded as new (e: Error, opts: unknown) => Error;
  return new NumberOfRetriesExceeded(inner, { retryCount: 5, retryTime: 1000 });
}

describe('crashKind: what a consumer crash says about the broker', () => {
  it('a coordinator that is loading, moving or rebalancing answered: not an outage', () => {
    for (const code of [14, 15, 16, 27]) {
      expect(crashKind(createErrorFromCode(code))).toBe('coordinator');
      expect(crashKind(retried(createErrorFromCode(code)))).toBe('coordinator');
    }
  });

  it('a connection that failed or timed out, even after retries, is an outage', () => {
    const ConnectionError = errors.KafkaJSConnectionError as new (m: string, o: unknown) => Error;
    const conn = new ConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' });
    expect(crashKind(conn)).toBe('unreachable');
    expect(crashKind(retried(conn))).toBe('unreachable');
    expect(crashKind(new Error('Request Produce(key: 0, version: 7) timed out'))).toBe('unreachable');
  });

  it('other protocol errors keep the old verdict (an outage), and read errors are neither', () => {
    expect(crashKind(createErrorFromCode(7))).toBe('unreachable'); // REQUEST_TIMED_OUT
    const codec = new Error('Snappy codec is not available');
    codec.name = 'KafkaJSNotImplemented';
    expect(crashKind(codec)).toBe('read');
  });

  it('a cyclic chain of causes ends', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(crashKind(a)).toBe('unreachable');
  });
});

describe('crashLine: one consumer-crash line a crash, whatever its cause', () => {
  it('a coordinator crash is one warning that says the coordinator answered, with cause=coordinator', () => {
    const line = crashLine(retried(createErrorFromCode(14)), true);
    expect(line.level).toBe('warn');
    expect(line.fields).toMatchObject({ event: 'consumer-crash', cause: 'coordinator', restarting: true });
    expect(line.msg).toMatch(/^the group coordinator answered but cannot serve the group yet \(.+\): restarting with backoff$/);
    expect(line.msg).not.toMatch(/unreachable/i);
  });

  it('an outage or a read error keeps the consumer-failed wording; a crash without restart is an error', () => {
    const out = crashLine(new Error('Request Produce(key: 0, version: 7) timed out'), false);
    expect(out).toEqual({
      level: 'error',
      fields: { event: 'consumer-crash', error: 'Request Produce(key: 0, version: 7) timed out', kind: 'Error', cause: 'unreachable', restarting: false },
      msg: 'consumer failed (Request Produce(key: 0, version: 7) timed out)',
    });
    const codec = Object.assign(new Error('Snappy codec is not available'), { name: 'CodecError' });
    expect(crashLine(codec, true).fields.cause).toBe('read');
    expect(crashLine(codec, true).msg).toBe('consumer failed (Snappy codec is not available): restarting with backoff');
  });
});
