import { describe, expect, it } from 'vitest';
import { describeTopicSpec, isPatternEntry, parseTopicSpec, resolveTopics, TopicSpecError } from '../../src/kafka/topic-spec.js';

describe('parseTopicSpec', () => {
  it('treats names made of topic characters as literal names, dots included', () => {
    const spec = parseTopicSpec(['logs.app', 'audit_log-1']);
    expect(spec.names).toEqual(['logs.app', 'audit_log-1']);
    expect(spec.patterns).toEqual([]);
  });

  it('treats an entry with regex characters as an anchored pattern', () => {
    const spec = parseTopicSpec(['logs\\..*']);
    expect(spec.names).toEqual([]);
    const [p] = spec.patterns;
    expect(p?.test('logs.app')).toBe(true);
    expect(p?.test('old-logs.app')).toBe(false);
    expect(p?.test('logs')).toBe(false);
  });

  it('recognises every regex metacharacter', () => {
    for (const entry of ['a*', 'a+', 'a?', '^a', 'a$', '(a)', '[ab]', 'a{2}', 'a|b', 'a\\d']) {
      expect(isPatternEntry(entry)).toBe(true);
    }
    expect(isPatternEntry('a.b-c_d')).toBe(false);
  });

  it('ignores blanks and duplicates', () => {
    expect(parseTopicSpec([' a ', '', 'a']).names).toEqual(['a']);
  });

  it('reports every invalid pattern at once', () => {
    try {
      parseTopicSpec(['logs(', 'ok', 'x[']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TopicSpecError);
      expect((err as TopicSpecError).problems).toHaveLength(2);
    }
  });

  it('refuses an empty list', () => {
    expect(() => parseTopicSpec(['', ' '])).toThrow(TopicSpecError);
  });

  it('describes the spec as written', () => {
    expect(describeTopicSpec(parseTopicSpec(['a', 'logs\\..*']))).toBe('a,logs\\..*');
  });
});

describe('resolveTopics', () => {
  const available = ['logs.a', 'logs.b', '__consumer_offsets', 'faultline.matches', 'other', 'named'];

  it('picks pattern matches and present names, sorted', () => {
    const r = resolveTopics(parseTopicSpec(['logs\\..*', 'named']), available);
    expect(r.topics).toEqual(['logs.a', 'logs.b', 'named']);
    expect(r.missing).toEqual([]);
  });

  it('never lets a pattern pick internal topics or our own output topics', () => {
    const r = resolveTopics(parseTopicSpec(['.*']), available, ['faultline.matches', 'faultline.dlq']);
    expect(r.topics).toEqual(['logs.a', 'logs.b', 'named', 'other']);
  });

  it('reports named topics that do not exist yet', () => {
    const r = resolveTopics(parseTopicSpec(['named', 'later']), available);
    expect(r.topics).toEqual(['named']);
    expect(r.missing).toEqual(['later']);
  });
});
