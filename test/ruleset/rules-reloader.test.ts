import { describe, expect, it } from 'vitest';
import type { RuleProblem } from '../../src/kb/types.js';
import { BankHolder } from '../../src/ruleset/bank-holder.js';
import { RulesUnusableError, type LoadedBank } from '../../src/ruleset/load-bank.js';
import { RulesReloader } from '../../src/ruleset/rules-reloader.js';
import { fakeBank } from '../worker/support/fake-core.js';
import { memoryLogger } from '../worker/support/memory-logger.js';

/** A loader whose loads finish when the test says so. */
function gatedLoader() {
  const pending: { resolve: (l: LoadedBank) => void; reject: (e: Error) => void }[] = [];
  let n = 0;
  return {
    load: () =>
      new Promise<LoadedBank>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
    started: () => pending.length,
    finish(index: number): ReturnType<typeof fakeBank> {
      const bank = fakeBank();
      n += 1;
      pending[index]?.resolve({ bank, version: `v${n}`, problems: [], files: 1, seconds: 0 });
      return bank;
    },
    fail(index: number, err: Error): void {
      pending[index]?.reject(err);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RulesReloader', () => {
  it('swaps the new bank in, retires the old one and logs one line with the versions', async () => {
    const log = memoryLogger();
    const first = fakeBank();
    const banks = new BankHolder(first);
    const loader = gatedLoader();
    const reloader = new RulesReloader(loader.load, banks, log.logger, 'v0');
    const done = reloader.reload('test');
    const next = loader.finish(0);
    expect(await done).toBe(true);
    expect(banks.current()).toBe(next);
    expect(first.closed).toBe(true);
    expect(reloader.activeVersion).toBe('v1');
    const lines = log.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'rules-reloaded', trigger: 'test', version: 'v1', previousVersion: 'v0', problems: 0 });
  });

  it('runs one load at a time; triggers during it share one follow-up load', async () => {
    const banks = new BankHolder(fakeBank());
    const loader = gatedLoader();
    const reloader = new RulesReloader(loader.load, banks, memoryLogger().logger, 'v0');
    const running = reloader.reload('a');
    const followUps = [reloader.reload('b'), reloader.reload('c'), reloader.reload('d')];
    await tick();
    expect(loader.started()).toBe(1);
    loader.finish(0);
    expect(await running).toBe(true);
    await tick();
    expect(loader.started()).toBe(2);
    const last = loader.finish(1);
    expect(await Promise.all(followUps)).toEqual([true, true, true]);
    expect(loader.started()).toBe(2);
    expect(banks.current()).toBe(last);
  });

  it('keeps the running bank when the new rules are refused, and says why with the first problems', async () => {
    const log = memoryLogger();
    const first = fakeBank();
    const banks = new BankHolder(first);
    const loader = gatedLoader();
    const reloader = new RulesReloader(loader.load, banks, log.logger, 'v0');
    const done = reloader.reload('test');
    const problems: RuleProblem[] = Array.from({ length: 7 }, (_, i) => ({ kind: 'invalid-json', file: `/r/${i}.json`, message: 'invalid JSON at line 1' }));
    loader.fail(0, new RulesUnusableError('7 rule problem(s) and strict rules are on', problems));
    expect(await done).toBe(false);
    expect(banks.current()).toBe(first);
    expect(first.closed).toBe(false);
    expect(reloader.activeVersion).toBe('v0');
    const failed = log.lines().filter((l) => l.event === 'reload-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ trigger: 'test', error: '7 rule problem(s) and strict rules are on', version: 'v0', problems: 7 });
    expect(failed[0]?.firstProblems).toHaveLength(5);
    expect(String(failed[0]?.msg)).toContain('/r/0.json: invalid JSON at line 1');
  });

  it('drops a bank that finishes loading after stop, and starts no more loads', async () => {
    const first = fakeBank();
    const banks = new BankHolder(first);
    const loader = gatedLoader();
    const reloader = new RulesReloader(loader.load, banks, memoryLogger().logger, 'v0');
    const done = reloader.reload('test');
    reloader.stop();
    const late = loader.finish(0);
    expect(await done).toBe(false);
    expect(late.closed).toBe(true);
    expect(banks.current()).toBe(first);
    expect(await reloader.reload('again')).toBe(false);
    expect(loader.started()).toBe(1);
  });
});
