import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/decode/decode-record.js';
import type { Rule } from '../../src/kb/types.js';
import type { RuleMatch } from '../../src/match/types.js';
import { fileSource, kafkaSource, tagEvent } from '../../src/tag/tag-event.js';

function rule(over: Partial<Rule> & Pick<Rule, 'id'>): Rule {
  return {
    patterns: [{ regex: 'x' }],
    domain: over.id.split('/')[0] ?? 'misc',
    category: 'network',
    tags: [],
    signals: [],
    overlaps: [],
    file: `rules/${over.id}.json`,
    format: 'flat',
    record: { id: over.id },
    ...over,
  };
}

const socketRule = rule({
  id: 'dotnet/httpclient-socket-exhaustion',
  category: 'socket',
  tags: ['httpclient', 'socket-exhaustion'],
  signals: ['socket-exhaustion'],
  rootCause: 'A new HttpClient per request leaves sockets in TIME_WAIT until ephemeral ports run out.',
  confidence: 0.92,
  verificationTier: 'verified',
  officialDocUrl: 'https://learn.microsoft.com/dotnet/fundamentals/networking/http/httpclient-guidelines',
  bestWorkaround: { action: 'Reuse one HttpClient / use IHttpClientFactory', success_rate: 0.95, how: 'services.AddHttpClient()' },
});
const poolRule = rule({ id: 'java/hikari-pool-timeout', category: 'pool', tags: ['hikari', 'pool-starvation'], signals: ['pool-starvation', 'thread-starvation'] });
const bareRule = rule({ id: 'misc/bare' });
const rules = [socketRule, poolRule, bareRule];

const match = (ruleIndex: number, start: number, end: number): RuleMatch => ({ rule: ruleIndex, pattern: 0, start, end });
const opts = { maxRecordBytes: 4096 };

describe('tagEvent', () => {
  it('wraps a plain-text record as {message} plus the faultline block', () => {
    const d = decodeRecord('SocketException (10055): no buffer space', opts);
    const e = tagEvent(d, [match(0, 0, 15)], rules, fileSource('app.log', 12));
    expect(e).toEqual({
      message: 'SocketException (10055): no buffer space',
      faultline: {
        matches: [
          {
            id: 'dotnet/httpclient-socket-exhaustion',
            domain: 'dotnet',
            category: 'socket',
            tags: ['httpclient', 'socket-exhaustion'],
            signals: ['socket-exhaustion'],
            root_cause: socketRule.rootCause,
            confidence: 0.92,
            verification_tier: 'verified',
            workaround: { action: 'Reuse one HttpClient / use IHttpClientFactory', success_rate: 0.95, how: 'services.AddHttpClient()' },
            official_doc_url: socketRule.officialDocUrl,
            span: [0, 15],
          },
        ],
        signals: ['socket-exhaustion'],
        source: { kind: 'file', file: 'app.log', line: 12 },
      },
    });
  });

  it('keeps every field of a JSON record and adds the service', () => {
    const record = { level: 50, msg: 'pool timeout', service: 'orders', nested: { a: [1, 2] } };
    const d = decodeRecord(JSON.stringify(record), opts);
    const e = tagEvent(d, [match(1, 0, 4)], rules, kafkaSource('logs.app', 3, '9007199254740993', '2024-03-01T10:15:32.123Z'));
    expect(e).toMatchObject(record);
    expect(e.faultline.service).toBe('orders');
    expect(e.faultline.source).toEqual({ kind: 'kafka', topic: 'logs.app', partition: 3, offset: '9007199254740993', timestamp: '2024-03-01T10:15:32.123Z' });
  });

  it('one entry per rule; signals are the union, each once, in a fixed order', () => {
    const d = decodeRecord('x', opts);
    const e = tagEvent(d, [match(1, 0, 1), match(0, 2, 3), match(1, 4, 5), match(2, 0, 1)], rules, fileSource('f', 1));
    expect(e.faultline.matches.map((m) => m.id)).toEqual(['java/hikari-pool-timeout', 'dotnet/httpclient-socket-exhaustion', 'misc/bare']);
    expect(e.faultline.matches[0]?.span).toEqual([0, 1]);
    expect(e.faultline.signals).toEqual(['socket-exhaustion', 'pool-starvation', 'thread-starvation']);
  });

  it('leaves out optional fields a rule does not have', () => {
    const e = tagEvent(decodeRecord('x', opts), [match(2, 0, 1)], rules, fileSource('f', 1));
    expect(Object.keys(e.faultline.matches[0] ?? {}).sort()).toEqual(['category', 'domain', 'id', 'signals', 'span', 'tags']);
    expect('service' in e.faultline).toBe(false);
  });

  it('replaces an existing faultline block instead of nesting it (our own output read again)', () => {
    const first = tagEvent(decodeRecord('{"msg":"pool timeout"}', opts), [match(1, 0, 4)], rules, fileSource('a', 1));
    const again = tagEvent(decodeRecord(JSON.stringify(first), opts), [match(0, 0, 4)], rules, fileSource('b', 7));
    expect(again.msg).toBe('pool timeout');
    expect(again.faultline.matches.map((m) => m.id)).toEqual(['dotnet/httpclient-socket-exhaustion']);
    expect(again.faultline.source).toEqual({ kind: 'file', file: 'b', line: 7 });
    expect(JSON.stringify(again).match(/"faultline"/g)).toHaveLength(1);
  });

  it('does not modify the decoded event', () => {
    const d = decodeRecord('{"msg":"x","faultline":{"old":true}}', opts);
    const before = JSON.stringify(d.event);
    tagEvent(d, [match(0, 0, 1)], rules, fileSource('f', 1));
    expect(JSON.stringify(d.event)).toBe(before);
  });

  it('ignores match indices outside the rule list', () => {
    const e = tagEvent(decodeRecord('x', opts), [match(7, 0, 1), match(-1, 0, 1)], rules, fileSource('f', 1));
    expect(e.faultline.matches).toEqual([]);
    expect(e.faultline.signals).toEqual([]);
  });

  it('events cannot change the rules they were tagged with', () => {
    const e = tagEvent(decodeRecord('x', opts), [match(0, 0, 1)], rules, fileSource('f', 1));
    const m = e.faultline.matches[0];
    expect(() => m?.tags.push('mutated')).toThrow(TypeError);
    expect(socketRule.tags).toEqual(['httpclient', 'socket-exhaustion']);
    // A second event gets an entry of its own (spans differ), sharing nothing mutable.
    const e2 = tagEvent(decodeRecord('y', opts), [match(0, 5, 6)], rules, fileSource('f', 2));
    expect(e2.faultline.matches[0]?.span).toEqual([5, 6]);
    expect(m?.span).toEqual([0, 1]);
  });

  it('the signals array of one match is a copy', () => {
    const e = tagEvent(decodeRecord('x', opts), [match(0, 0, 1)], rules, fileSource('f', 1));
    e.faultline.signals.push('pool-starvation');
    expect(socketRule.signals).toEqual(['socket-exhaustion']);
  });
});

describe('event sources', () => {
  it('file sources carry the line count only for multi-line records', () => {
    expect(fileSource('app.log', 3)).toEqual({ kind: 'file', file: 'app.log', line: 3 });
    expect(fileSource('app.log', 3, 12)).toEqual({ kind: 'file', file: 'app.log', line: 3, lines: 12 });
  });

  it('kafka sources carry the timestamp only when known', () => {
    expect(kafkaSource('t', 0, '1')).toEqual({ kind: 'kafka', topic: 't', partition: 0, offset: '1' });
  });
});
