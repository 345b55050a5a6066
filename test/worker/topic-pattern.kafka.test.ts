// An input pattern picks up a topic created after the worker started.
import { afterEach, describe, expect, it } from 'vitest';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { createTopic, kcatConsume, kcatProduce, uniqueTopicName, waitUntil } from '../support/kafka.js';
import { emitAllConfig, memoryLogger } from './support/setup.js';

describe('input topic pattern', () => {
  let worker: WorkerHandle | undefined;
  afterEach(async () => worker?.stop('test done'));

  it('consumes matching topics, including one created later, and never its own output', async () => {
    const prefix = uniqueTopicName('applogs');
    const first = await createTopic({ prefix: `${prefix}.a`, partitions: 1 });
    const output = await createTopic({ prefix: `${prefix}.out`, partitions: 1 });
    const config = emitAllConfig(`${prefix.replace(/[.-]/g, '\\$&')}\\..*`, output);
    const log = memoryLogger();
    worker = await runWorker(config, { logger: log.logger, tuning: { topicRefreshMs: 1000, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 } });
    await worker.started;
    await kcatProduce(first, ['one from a', 'two from a']);
    await waitUntil(async () => (await kcatConsume(output)).length >= 2, { timeoutMs: 60_000, what: 'events from the first topic' });

    const later = await createTopic({ prefix: `${prefix}.b`, partitions: 1 });
    await kcatProduce(later, ['one from b']);
    const events = await waitUntil(
      async () => {
        const got = await kcatConsume(output);
        return got.length >= 3 ? got : undefined;
      },
      { timeoutMs: 60_000, what: 'events from the topic created later' },
    );
    const sources = events.map((e) => (JSON.parse(e.value ?? '{}') as { faultline: { source: { topic: string } } }).faultline.source.topic);
    expect(sources.sort()).toEqual([first, first, later].sort());
    expect(log.lines().some((l) => l.event === 'resubscribe')).toBe(true);
  }, 180_000);
});
