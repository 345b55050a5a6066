// taggedEventJson builds a tagged event's JSON from its parts (each rule's entry serialised once):
// it must be JSON.stringify of the event, for any record and any matches, and fall back to it for
// entries that are not a rule's entry as built.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecodedRecord } from '../../src/decode/types.js';
import { loadRules } from '../../src/kb/load.js';
import type { Rule } from '../../src/kb/types.js';
import { taggedEventJson } from '../../src/tag/event-json.js';
import { ruleInfoJson } from '../../src/tag/match-info.js';
import { kafkaSource, tagEvent } from '../../src/tag/tag-event.js';

let rules: Rule[];
beforeAll(async () => {
  rules = (await loadRules([new URL('../../rules', import.meta.url).pathname])).rules;
}, 60_000);

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('faultline', 'message', '1', '0', '10', 'toJSON', 'a"b', 'é\u2028'));
const base = fc.oneof(
  fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.string().map((message) => ({ message })),
  fc.constant({}),
);
const matches = fc.array(fc.record({ rule: fc.nat(40), pattern: fc.nat(3), start: fc.nat(500), end: fc.nat(500) }), { maxLength: 4 });

function eventOf(event: Record<string, unknown>, found: { rule: number; pattern: number; start: number; end: number }[], service: string | undefined, version: string | undefined) {
  const decoded: DecodedRecord = { text: 'x', event, format: 'json', issues: [], bytes: 1 };
  if (service !== undefined) decoded.service = service;
  const tagged = tagEvent(decoded, found, rules, kafkaSource('logs', 3, '12345678901234567890', '2024-01-01T00:00:00.000Z', found.length % 2 === 0 ? undefined : 2));
  if (version !== undefined) tagged.faultline.rules_version = version;
  return { decoded, tagged };
}

describe('taggedEventJson', () => {
  it('is JSON.stringify of the tagged event', () => {
    fc.assert(
      fc.property(base, matches, fc.option(fc.string(), { nil: undefined }), fc.option(fc.string({ maxLength: 12 }), { nil: undefined }), (event, found, service, version) => {
        const { decoded, tagged } = eventOf(event, found, service, version);
        expect(taggedEventJson(decoded.event, tagged.faultline)).toBe(JSON.stringify(tagged));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('falls back to JSON.stringify for entries changed after tagging, and for bases it cannot vouch for', () => {
    const { decoded, tagged } = eventOf({ a: 1 }, [{ rule: 0, pattern: 0, start: 1, end: 2 }, { rule: 1, pattern: 0, start: 3, end: 4 }], 'svc', 'v1');
    const [first, second] = tagged.faultline.matches;
    if (first === undefined || second === undefined) throw new Error('two rules matched');
    // As built, the entries take the fast path.
    expect([ruleInfoJson(first), ruleInfoJson(second)].every((j) => j !== undefined)).toBe(true);
    first.root_cause = 'changed';
    expect(ruleInfoJson(first)).toBeUndefined();
    (second as unknown as Record<string, unknown>).extra = true;
    expect(taggedEventJson(decoded.event, tagged.faultline)).toBe(JSON.stringify(tagged));
    const { span, ...rest } = first;
    const reordered = { span, ...rest };
    tagged.faultline.matches = [reordered as typeof first];
    expect(taggedEventJson(decoded.event, tagged.faultline)).toBe(JSON.stringify(tagged));
    const withToJson = { toJSON: () => ({ replaced: true }) };
    expect(taggedEventJson(withToJson, tagged.faultline)).toBe(JSON.stringify({ ...withToJson, faultline: tagged.faultline }));
    const dated = Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { own: 2 });
    expect(taggedEventJson(dated, tagged.faultline)).toBe(JSON.stringify({ ...dated, faultline: tagged.faultline }));
  });
});
