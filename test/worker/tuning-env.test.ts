import { describe, expect, it } from 'vitest';
import { tuningFromEnv } from '../../src/worker/tuning-env.js';

const KNOWN = ['maxBytesPerPartition', 'sessionTimeoutMs'] as const;

describe('FAULTLINE_TUNING', () => {
  it('reads known positive integer knobs', () => {
    const warnings: string[] = [];
    expect(tuningFromEnv('{"maxBytesPerPartition":16384,"sessionTimeoutMs":10000}', KNOWN, (m) => warnings.push(m))).toEqual({
      maxBytesPerPartition: 16384,
      sessionTimeoutMs: 10000,
    });
    expect(warnings).toEqual([]);
  });

  it('ignores what it does not know or cannot use, with a warning each', () => {
    const warnings: string[] = [];
    expect(tuningFromEnv('{"bogus":1,"sessionTimeoutMs":-5,"maxBytesPerPartition":"big"}', KNOWN, (m) => warnings.push(m))).toEqual({});
    expect(warnings).toHaveLength(3);
  });

  it('ignores unset, blank and malformed values', () => {
    const warnings: string[] = [];
    expect(tuningFromEnv(undefined, KNOWN, (m) => warnings.push(m))).toEqual({});
    expect(tuningFromEnv(' ', KNOWN, (m) => warnings.push(m))).toEqual({});
    expect(tuningFromEnv('{', KNOWN, (m) => warnings.push(m))).toEqual({});
    expect(tuningFromEnv('[1]', KNOWN, (m) => warnings.push(m))).toEqual({});
    expect(warnings).toHaveLength(2);
  });
});
