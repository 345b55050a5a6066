import { describe, expect, it } from 'vitest';
import { dottedPath, validateRecord } from '../../src/kb/validate-record.js';
import { deadendsRecord } from './rule-files.js';

describe('dottedPath', () => {
  it('turns JSON pointers into field paths', () => {
    expect(dottedPath('')).toBe('record');
    expect(dottedPath('/confidence')).toBe('confidence');
    expect(dottedPath('/workarounds/0/success_rate')).toBe('workarounds[0].success_rate');
    expect(dottedPath('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});

describe('validateRecord (deadends)', () => {
  it('accepts a minimal record and ignores fields it does not read', () => {
    expect(validateRecord(deadendsRecord({}, { environment: { os: 'any' }, whatever: [1] }), 'deadends', 'f')).toEqual([]);
  });

  it('checks the fields faultline reads', () => {
    const record = deadendsRecord({ category: '' }, { verdict: { confidence: 'high' }, id: 7 });
    expect(validateRecord(record, 'deadends', 'f').map((p) => p.message).sort()).toEqual([
      'error.category: must NOT have fewer than 1 characters',
      'id: must be string',
      'verdict.confidence: must be number',
    ]);
  });

  it('names the rule id it is given', () => {
    const [problem] = validateRecord(deadendsRecord({ domain: 1 }), 'deadends', 'f.json', 'x/y/z');
    expect(problem).toEqual({ kind: 'schema', file: 'f.json', ruleId: 'x/y/z', message: 'error.domain: must be string' });
  });
});
