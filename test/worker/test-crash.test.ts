import { describe, expect, it } from 'vitest';
import type { ProcessorFactory } from '../../src/worker/record-outcome.js';
import { withTestCrash } from '../../src/worker/test-crash.js';

// The crash itself (SIGKILL of the process) is exercised by test/worker/poison-pill.kafka.test.ts;
// here: that nothing but NODE_ENV=test arms it.
describe('withTestCrash', () => {
  const factory: ProcessorFactory = () => () => ({ kind: 'dead', reason: 'binary' });

  it('leaves the processor alone unless NODE_ENV is test and a needle is set', () => {
    expect(withTestCrash(factory, { FAULTLINE_TEST_CRASH_ON: 'boom' })).toBe(factory);
    expect(withTestCrash(factory, { NODE_ENV: 'production', FAULTLINE_TEST_CRASH_ON: 'boom' })).toBe(factory);
    expect(withTestCrash(factory, { NODE_ENV: 'test' })).toBe(factory);
    expect(withTestCrash(factory, { NODE_ENV: 'test', FAULTLINE_TEST_CRASH_ON: '' })).toBe(factory);
  });

  it('armed, passes every record without the needle to the real processor', () => {
    const armed = withTestCrash(factory, { NODE_ENV: 'test', FAULTLINE_TEST_CRASH_ON: 'boom' });
    expect(armed).not.toBe(factory);
    const process = armed({} as never);
    expect(process(Buffer.from('an ordinary line'), { topic: 't', partition: 0, offset: '1', timestamp: '0' }, undefined, undefined)).toEqual({ kind: 'dead', reason: 'binary' });
    expect(process(null, { topic: 't', partition: 0, offset: '2', timestamp: '0' }, undefined, undefined)).toEqual({ kind: 'dead', reason: 'binary' });
  });
});
