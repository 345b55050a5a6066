import { describe, expect, it } from 'vitest';
import { kafkaLogToPino, kafkaVerbosity } from '../../src/worker/kafka-log.js';
import { memoryLogger } from './support/memory-logger.js';

describe('kafkajs log routing', () => {
  it('passes client warnings and errors on, at most once per message per window, with a count', () => {
    const { logger, lines } = memoryLogger('info');
    const log = kafkaLogToPino(logger, 60_000);
    for (let i = 0; i < 50; i++) log('error', 'Producer', 'Failed to send messages', { retryCount: i, stack: 'long' });
    log('warn', 'Consumer', 'Something else', {});
    const out = lines();
    expect(out.map((l) => l.msg)).toEqual(['Failed to send messages', 'Something else']);
    expect(out[0]).toMatchObject({ level: 40, component: 'kafkajs', namespace: 'Producer', count: 1 });
    expect(out[0]?.stack).toBeUndefined();
  });

  it('keeps retried connection errors and lines the worker reports itself at debug', () => {
    const { logger, lines } = memoryLogger('info');
    const log = kafkaLogToPino(logger);
    log('error', 'Connection', 'Connection error: connect ECONNREFUSED', {});
    log('error', 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: …', {});
    log('error', 'Consumer', 'Restarting the consumer in 300ms', {});
    log('warn', 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees', {});
    log('info', 'ConsumerGroup', 'Consumer has joined the group', {});
    expect(lines()).toEqual([]);
  });

  it('asks kafkajs for request-level logs only when tracing', () => {
    expect(kafkaVerbosity(memoryLogger('info').logger)).toBe('warn');
    expect(kafkaVerbosity(memoryLogger('debug').logger)).toBe('info');
    expect(kafkaVerbosity(memoryLogger('trace').logger)).toBe('debug');
  });
});
