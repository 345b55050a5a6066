import { describe, expect, it } from 'vitest';
import { deadendsRecordToRule, reviewStatusToTier } from '../../src/kb/normalise-deadends.js';

describe('reviewStatusToTier', () => {
  it('maps auto_generated to the flat format’s ai_generated and keeps other statuses', () => {
    expect(reviewStatusToTier('auto_generated')).toBe('ai_generated');
    expect(reviewStatusToTier('human_reviewed')).toBe('human_reviewed');
    expect(reviewStatusToTier('community_verified')).toBe('community_verified');
  });
});

describe('deadendsRecordToRule', () => {
  const base = { id: 'node/emfile/linux', error: { regex: 'EMFILE', domain: 'node', category: 'runtime_error' } };

  it('takes tags, signals, overlaps and examples when a record adds them', () => {
    const rule = deadendsRecordToRule(
      { ...base, tags: ['socket-exhaustion', 'fd'], overlaps: ['node/other/linux'], examples: { match: ['EMFILE: too many open files'] } },
      'f.json',
    );
    expect(rule).toMatchObject({
      tags: ['socket-exhaustion', 'fd'],
      signals: ['socket-exhaustion'],
      overlaps: ['node/other/linux'],
      examples: { match: [{ text: 'EMFILE: too many open files' }], no_match: [] },
    });
  });

  it('leaves out what the record does not have', () => {
    const rule = deadendsRecordToRule(base, 'f.json');
    expect(Object.keys(rule).sort()).toEqual(
      ['category', 'domain', 'file', 'format', 'id', 'overlaps', 'patterns', 'record', 'signals', 'tags'].sort(),
    );
  });
});
