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
  const crashOn = (value: Buffer | null) => {
    if (value !== null && value.includes(bytes)) process.kill(process.pid, 'SIGKILL');
  };
  const wrapped: ProcessorFactory = (bank) => {
    const process_ = factory(bank);
    return (value, ...rest) => {
      crashOn(value);
      return process_(value, ...rest);
    };
  };
  // The pooled path (src/pool) decodes through `split`: it dies there too, on the main thread,
  // with the batch in hand, as it would in production.
  const split = factory.split;
  if (split !== undefined) {
    wrapped.split = (bank) => {
      const steps = split(bank);
      return {
        decode: (value, ...rest) => {
          crashOn(value);
          return steps.decode(value, ...rest);
        },
        finish: (...args) => steps.finish(...args),
      };
    };
  }
  return wrapped;
}
