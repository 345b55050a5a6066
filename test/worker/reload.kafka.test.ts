// Live rule reload: a new bank takes over between batches; the old one is closed once released.
import { afterEach, describe, expect, it } from 'vitest';
import { runWorker, type WorkerHandle } from '../../src/cli/worker.js';
import { loadRules } from '../../src/kb/load.js';
import { buildBank } from '../../src/match/bank.js';
import type { MatcherBank } from '../../src/match/types.js';
import { createTopic, waitUntil } from '../support/kafka.js';
import { kcatConsumeJson, kcatProduceRaw } from './support/kcat-io.js';
import { memoryLogger } from './support/memory-logger.js';
import { emitAllConfig, RULES_DIR } from './support/setup.js';

describe('live rule reload', () => {
  let worker: WorkerHandle | undefined;
  afterEach(async () => worker?.stop('test done'));

  it('swaps the bank between batches and closes the old one', async () => {
    const { rules } = await loadRules([RULES_DIR]);
    const rule = rules.find((r) => (r.examples?.match.length ?? 0) > 0);
    if (rule === undefined) throw new Error('no rule with an example');
    const text = rule.examples?.match[0]?.text ?? '';
    const without = buildBank(rules.filter((r) => r !== rule)).bank;
    let oldClosed = false;
    const close = without.close.bind(without);
    without.close = () => {
      oldClosed = true;
      close();
    };
    const banks: MatcherBank[] = [without, buildBank(rules).bank];

    const input = await createTopic({ prefix: 'reload-in', partitions: 1 });
    const output = await createTopic({ prefix: 'reload-out', partitions: 1 });
    // On the main thread: with matcher threads the loaded bank's compiled regexes are closed as
    // soon as the threads have theirs, so its close would say nothing about the swap.
    const config = { ...emitAllConfig(input, output), matchThreads: 1 };
    const log = memoryLogger();
    worker = await runWorker(config, {
      logger: log.logger,
      loadBank: async () => banks.shift() ?? buildBank(rules).bank,
      tuning: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 },
    });
    await worker.started;
    const idsOf = async (n: number) =>
      waitUntil(
        async () => {
          const got = await kcatConsumeJson(output);
          return got.length >= n ? got.map((m) => (JSON.parse(m.payload ?? '{}') as { faultline: { matches: { id: string }[] } }).faultline.matches.map((x) => x.id)) : undefined;
        },
        { timeoutMs: 60_000, what: `${n} output event(s)` },
      );

    await kcatProduceRaw(input, [{ key: 'k', value: Buffer.from(text) }]);
    expect((await idsOf(1))[0]).not.toContain(rule.id);

    expect(await worker.reload()).toBe(true);
    expect(oldClosed).toBe(true);
    await kcatProduceRaw(input, [{ key: 'k', value: Buffer.from(text) }]);
    expect((await idsOf(2))[1]).toContain(rule.id);
    expect(log.lines().filter((l) => l.event === 'rules-reloaded')).toEqual([expect.objectContaining({ trigger: 'request', rules: rules.length })]);
  }, 120_000);
});
