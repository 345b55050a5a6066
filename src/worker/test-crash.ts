import type { ProcessorFactory } from './record-outcome.js';

/**
 * A test-only way to make the worker die the way a poison record kills it in production (a
 * native crash, the OOM killer, kill -9 by a liveness probe): with NODE_ENV=test and
 * FAULTLINE_TEST_CRASH_ON=<text>, a record whose value contains <text> kills the process with
 * SIGKILL while it is in hand. No catch block, no exit handler, no flush: exactly what the
 * poison-pill guard (./poison-guard.ts) must survive. Ignored unless NODE_ENV is test, so that
 * a stray variable in production does nothing.
 */
export function withTestCrash(factory: ProcessorFactory, env: NodeJS.ProcessEnv = process.env): ProcessorFactory {
  const needle = env.NODE_ENV === 'test' ? env.FAULTLINE_TEST_CRASH_ON : undefined;
  if (needle === undefined || needle === '') return factory;
  const bytes = Buffer.from(needle);
  return (bank) => {
    const process_ = factory(bank);
    return (value, ...rest) => {
      if (value !== null && value.includes(bytes)) process.kill(process.pid, 'SIGKILL');
      return process_(value, ...rest);
    };
  };
}
