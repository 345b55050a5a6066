import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import { buildBank } from '../../src/match/bank.js';
import { coreProcessorFor } from '../../src/worker/core-processor.js';
import type { RecordPosition } from '../../src/worker/record-outcome.js';
import { otlpJsonMessage, otlpProtoMessage, type FixtureService } from '../support/otlp-fixtures.js';

const { rules } = await loadRules(['rules']);
const rule = rules.find((r) => (r.examples?.match.length ?? 0) > 0);
const example = rule?.examples?.match[0]?.text ?? '';
const { bank } = buildBank(rules);
const at: RecordPosition = { topic: 'logs', partition: 1, offset: '42', timestamp: '1700000000000' };
const config = { maxRecordBytes: 4096, emit: 'matched' as const };

describe('the core processor on Kafka records', () => {
  it('tags a record with a known signature, its source and the fallback service', () => {
    const out = coreProcessorFor(config)(bank)(Buffer.from(example), at, 'checkout');
    expect(out.kind).toBe('matched');
    if (out.kind !== 'matched') return;
    expect(out.event.faultline.matches.map((m) => m.id)).toContain(rule?.id);
    expect(out.event.faultline.source).toEqual({ kind: 'kafka', topic: 'logs', partition: 1, offset: '42', timestamp: '2023-11-14T22:13:20.000Z' });
    expect(out.event.faultline.service).toBe('checkout');
  });

  it('gives unmatched records an event only when every record is emitted', () => {
    const plain = Buffer.from('all good here');
    const matchedOnly = coreProcessorFor(config)(bank)(plain, at, undefined);
    expect(matchedOnly.kind).toBe('unmatched');
    expect(matchedOnly.kind === 'unmatched' && matchedOnly.event).toBeUndefined();
    const all = coreProcessorFor({ ...config, emit: 'all' })(bank)(plain, at, undefined);
    expect(all.kind).toBe('unmatched');
    expect(all.kind === 'unmatched' && all.event?.faultline.matches).toEqual([]);
  });

  it('dead-letters records over the size limit and binary junk', () => {
    const p = coreProcessorFor(config)(bank);
    expect(p(Buffer.alloc(5000, 0x61), at, undefined)).toMatchObject({ kind: 'dead', reason: 'too-large' });
    expect(p(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6]), at, undefined)).toMatchObject({ kind: 'dead', reason: 'binary' });
  });

  it('matches invalid UTF-8 text instead of dead-lettering it', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20]); // "café " in Latin-1
    const out = coreProcessorFor(config)(bank)(Buffer.concat([latin1, Buffer.from(example)]), at, undefined);
    expect(out.kind).toBe('matched');
    expect(out.kind !== 'dead' && out.kind !== 'batch' && out.decoded.issues).toContain('invalid-utf8');
  });

  it('treats a tombstone (null value) as an empty, unmatched record', () => {
    expect(coreProcessorFor(config)(bank)(null, at, undefined).kind).toBe('unmatched');
  });
});

describe('the core processor on OTLP messages', () => {
  const ids = (...want: string[]) => want.map((id) => rules.find((r) => r.id === id)).map((r) => ({ id: r?.id ?? '', text: r?.examples?.match[0]?.text ?? '' }));
  const [pool, files, redis] = ids('java/apache-httpclient4-connection-pool-timeout', 'java/too-many-open-files', 'database/redis-max-clients');
  const services: FixtureService[] = [
    {
      resource: { 'service.name': 'checkout' },
      logs: [
        { body: pool?.text ?? '' },
        { body: 'request failed', attributes: { 'exception.type': 'java.io.IOException', 'exception.message': 'Too many open files', 'exception.stacktrace': files?.text ?? '' } },
        { body: 'all good here' },
      ],
    },
    { resource: { 'service.name': 'cache-client' }, logs: [{ body: redis?.text ?? '' }] },
  ];

  for (const [encoding, make] of [
    ['otlp_proto', otlpProtoMessage],
    ['otlp_json', otlpJsonMessage],
  ] as const) {
    it(`${encoding}: matches each log record on its own, with its service and its index in the message`, async () => {
      const message = await make(services);
      const out = coreProcessorFor({ ...config, maxRecordBytes: 1 << 20, inputEncoding: [`logs=${encoding}`] })(bank)(message, at, undefined);
      expect(out.kind).toBe('batch');
      if (out.kind !== 'batch') return;
      expect(out.records.map((r) => r.kind)).toEqual(['matched', 'matched', 'unmatched', 'matched']);
      const tagged = out.records.map((r) => (r.kind === 'matched' ? r.event.faultline : undefined));
      // Each record matched its own rule (family rules of the KB may match beside it).
      const expected = [pool?.id, files?.id, undefined, redis?.id];
      tagged.forEach((t, i) => (expected[i] === undefined ? expect(t).toBeUndefined() : expect(t?.matches.map((m) => m.id)).toContain(expected[i])));
      expect(tagged.map((t) => t?.service)).toEqual(['checkout', 'checkout', undefined, 'cache-client']);
      expect(tagged.map((t) => t?.source)).toEqual(
        [0, 1, undefined, 3].map((index) =>
          index === undefined ? undefined : { kind: 'kafka', topic: 'logs', partition: 1, offset: '42', timestamp: '2023-11-14T22:13:20.000Z', index },
        ),
      );
      // Without the exception attributes, the body alone matches nothing.
      expect(bank.match('request failed')).toEqual([]);
      expect(at.index).toBeUndefined();
    });
  }

  it('dead-letters a message that is not OTLP on an OTLP topic, with the reason', () => {
    const p = coreProcessorFor({ ...config, inputEncoding: ['otlp_proto'] })(bank);
    expect(p(Buffer.from(example), at, undefined)).toMatchObject({ kind: 'dead', reason: 'invalid-otlp', error: expect.stringMatching(/^not an OTLP/) });
    const j = coreProcessorFor({ ...config, inputEncoding: ['logs=otlp_json', 'auto'] })(bank);
    expect(j(Buffer.from('{"msg":"x"}'), at, undefined)).toMatchObject({ kind: 'dead', reason: 'invalid-otlp' });
    // Another topic of the same worker keeps the default.
    expect(j(Buffer.from('{"msg":"x"}'), { ...at, topic: 'other' }, undefined).kind).toBe('unmatched');
  });

  it('reads an auto topic as OTLP protobuf when the producer says application/x-protobuf', async () => {
    const p = coreProcessorFor(config)(bank);
    expect(p(Buffer.from(example), at, undefined, { 'Content-Type': 'application/x-protobuf' })).toMatchObject({ kind: 'dead', reason: 'invalid-otlp' });
    const message = await otlpProtoMessage(services);
    expect(p(message, at, undefined, { 'content-type': Buffer.from('application/x-protobuf') }).kind).toBe('batch');
  });
});
