/**
 * A message hard-wrapped at a width, as a terminal, a viewer or an issue tracker does it (at a
 * space, or inside a word), reads through scan's reader and the match stage as it did whole: one
 * record, and the rule that matched the whole message matches it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../src/match/bank.js';
import { matchRecordText } from '../../src/match/record-text.js';
import { readerRecords } from './support/reader-records.js';
import { makeRule } from './support/rules.js';

const rules = [
  makeRule('a/pool', ['Timeout: Pool empty\\. Unable to fetch a connection in \\d+ seconds, none available\\[size:\\d+; busy:\\d+; idle:\\d+; lastwait:\\d+\\]']),
  makeRule('b/thread', ['java\\.lang\\.OutOfMemoryError: unable to create (?:new )?native thread: possibly out of memory or process/resource limits reached']),
  makeRule('c/socket', ['An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full']),
  makeRule('d/redis', ['Timeout performing GET \\S+, inst: \\d+, mgr: \\w+, err: never, queue: \\d+, qu: \\d+, qs: \\d+']),
];

const MESSAGES = [
  '2026-12-04 18:40:01,123 ERROR [http-nio-8080-exec-7] o.a.t.j.p.ConnectionPool - Timeout: Pool empty. Unable to fetch a connection in 30 seconds, none available[size:100; busy:100; idle:0; lastwait:30000].',
  '[2026-12-04 18:40:01] worker-3 java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
  'System.Net.Sockets.SocketException (10055): An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full 10.1.2.3:443',
  'StackExchange.Redis.RedisTimeoutException: Timeout performing GET user:42:profile, inst: 3, mgr: ExecuteSelect, err: never, queue: 2715, qu: 0, qs: 2715, qc: 0',
];

function wrap(line: string, width: number, atSpace: boolean): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = width;
    if (atSpace) {
      const s = rest.lastIndexOf(' ', width);
      if (s > 0) cut = s;
    }
    out.push(rest.slice(0, cut));
    rest = atSpace && rest[cut] === ' ' ? rest.slice(cut + 1) : rest.slice(cut);
  }
  out.push(rest);
  return out;
}

const records = readerRecords;

describe('a message wrapped at a width (property)', () => {
  const { bank } = buildBank(rules);
  const ids = (text: string) => matchRecordText(bank, text).map((m) => bank.rules[m.rule]?.id);

  it('is one record and keeps its match, at any width 60-120, at a space or inside a word', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGES), fc.integer({ min: 60, max: 120 }), fc.boolean(), (message, width, atSpace) => {
        const lines = wrap(message, width, atSpace);
        // Left to the line's own reading (known limits): a rest that starts in upper case, or with
        // a `name: ` like Go's `http: …` prefix, is as likely a line of its own.
        fc.pre(lines.slice(1).every((l) => !/^(?:[A-Z]|[a-z][\w./-]{2,}: )/.test(l)));
        const recs = records([...lines, '2026-12-04 18:40:02,000 INFO next record']);
        expect(recs).toEqual([lines.join('\n'), '2026-12-04 18:40:02,000 INFO next record']);
        expect(ids(recs[0] ?? '')).toEqual(ids(message));
        expect(ids(message)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
