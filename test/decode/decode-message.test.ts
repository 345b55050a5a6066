import { describe, expect, it } from 'vitest';
import { createMessageDecoder, type MessageDecoding } from '../../src/decode/decode-message.js';
import { encodingResolver } from '../../src/decode/input-encoding.js';
import type { DecodedRecord } from '../../src/decode/types.js';
import { otlpJsonMessage, otlpProtoMessage, type FixtureService } from '../support/otlp-fixtures.js';

const decode = createMessageDecoder({ maxRecordBytes: 1 << 20 });

const services: FixtureService[] = [
  {
    resource: { 'service.name': 'checkout', 'deployment.environment': 'prod' },
    logs: [
      { body: 'org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool', severityText: 'ERROR' },
      {
        body: 'request failed',
        attributes: {
          'exception.type': 'java.io.IOException',
          'exception.message': 'Too many open files',
          'exception.stacktrace': 'java.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)',
        },
      },
    ],
  },
  {
    resource: { 'service.name': 'billing' },
    scope: 'billing.db',
    logs: [{ body: { message: 'redis.exceptions.ConnectionError: max number of clients reached', level: 'error' } }, { body: 'all good' }],
  },
  { resource: { 'host.name': 'web-1' }, logs: [{ body: 'no service here' }] },
];

function records(out: MessageDecoding): DecodedRecord[] {
  expect(out.kind).toBe('records');
  return out.kind === 'records' ? out.records : [];
}

describe('decodeMessage on OTLP logs from the OpenTelemetry SDK', () => {
  for (const [name, make] of [
    ['otlp_proto', otlpProtoMessage],
    ['otlp_json', otlpJsonMessage],
  ] as const) {
    it(`${name}: one record per log record, in order, each with its resource's service`, async () => {
      const message = await make(services);
      for (const encoding of [name, 'auto'] as const) {
        const out = decode(message, encoding, 'from-header');
        const rs = records(out);
        expect(out.kind === 'records' && out.batch).toBe(true);
        expect(rs.map((r) => r.service)).toEqual(['checkout', 'checkout', 'billing', 'billing', 'from-header']);
        expect(rs.map((r) => r.format)).toEqual(Array(5).fill('otlp'));
        expect(rs[0]?.text).toBe('org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool');
        // The exception attributes are matched with the body, rendered as the runtime prints them.
        expect(rs[1]?.text).toBe('request failed\njava.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)');
        // A map body is read like a JSON log line.
        expect(rs[2]?.text).toBe('redis.exceptions.ConnectionError: max number of clients reached');
        expect(rs[3]?.text).toBe('all good');
        expect(rs[0]?.event).toMatchObject({
          severityText: 'ERROR',
          resource: { attributes: { 'service.name': 'checkout', 'deployment.environment': 'prod' } },
          scope: { name: 'faultline-test', version: '1.0.0' },
        });
        expect(rs[1]?.event.attributes).toEqual({
          'exception.type': 'java.io.IOException',
          'exception.message': 'Too many open files',
          'exception.stacktrace': 'java.io.IOException: Too many open files\n\tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)',
        });
        expect(rs[2]?.event).toMatchObject({ body: { level: 'error' }, scope: { name: 'billing.db' } });
        expect(typeof rs[0]?.event.timeUnixNano).toBe('string');
      }
    });
  }

  it('proto and JSON encodings of the same logs decode to the same texts and services', async () => {
    const p = records(decode(await otlpProtoMessage(services), 'otlp_proto'));
    const j = records(decode(await otlpJsonMessage(services), 'otlp_json'));
    expect(p.map((r) => [r.text, r.service])).toEqual(j.map((r) => [r.text, r.service]));
  });

  it('an empty export request is valid and holds no records', async () => {
    expect(decode(Buffer.alloc(0), 'otlp_proto')).toEqual({ kind: 'records', batch: true, records: [] });
    expect(decode(Buffer.from('{}'), 'otlp_json')).toEqual({ kind: 'records', batch: true, records: [] });
  });
});

describe('decodeMessage on messages that are not OTLP', () => {
  it('otlp_proto: bytes that are not an ExportLogsServiceRequest are invalid, with the reason', async () => {
    const good = await otlpProtoMessage(services);
    const bads = [
      good.subarray(0, good.length - 7),
      Buffer.from('plain text log line'),
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]),
      // Parses as protobuf (field 6, 48 bytes long, then field 12), but none of it is OTLP.
      Buffer.from('2026-12-02 ERROR this is a text line, not protobuf'),
    ];
    for (const bad of bads) {
      const out = decode(bad, 'otlp_proto');
      expect(out).toMatchObject({ kind: 'invalid', reason: 'invalid-otlp' });
      expect(out.kind === 'invalid' && out.error).toMatch(/^not an OTLP/);
    }
  });

  it('otlp_json: JSON that is not an export request, and text that is not JSON, are invalid', async () => {
    expect(decode(Buffer.from('{"msg":"hello"}'), 'otlp_json')).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/no resourceLogs/) });
    expect(decode(Buffer.from('{"resourceLogs":{}}'), 'otlp_json')).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/not a list/) });
    expect(decode(Buffer.from('hello'), 'otlp_json')).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^not OTLP JSON/) });
    const proto = await otlpProtoMessage(services);
    expect(decode(proto, 'otlp_json')).toMatchObject({ kind: 'invalid', reason: 'invalid-otlp' });
  });

  it('auto: text and JSON lines stay one record; text starting with a newline is not taken for protobuf', () => {
    expect(decode(Buffer.from('{"msg":"hi","service":"a"}'), 'auto')).toMatchObject({ kind: 'records', batch: false, records: [{ text: 'hi', service: 'a', format: 'json' }] });
    expect(decode(Buffer.from('\n\nERROR pool exhausted'), 'auto')).toMatchObject({
      kind: 'records',
      batch: false,
      records: [{ text: expect.stringMatching(/^\s*ERROR pool exhausted$/), format: 'text' }],
    });
    // Broken protobuf in auto mode is what it always was: binary, for the core to dead-letter.
    const out = records(decode(Buffer.from([0x0a, 0x05, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'auto'));
    expect(out[0]?.issues).toContain('binary');
  });

  it('json: OTLP protobuf is not looked for', async () => {
    const out = records(decode(await otlpProtoMessage(services), 'json'));
    expect(out).toHaveLength(1);
  });

  it('text: JSON is never parsed', () => {
    expect(decode(Buffer.from('{"msg":"hi"}\n'), 'text')).toMatchObject({ records: [{ text: '{"msg":"hi"}', format: 'text' }] });
  });
});

describe('encodingResolver', () => {
  it('takes topic=encoding entries, else the bare entry, else auto', () => {
    const of = encodingResolver(['otel.logs=otlp_proto', 'text', 'legacy=json']);
    expect([of('otel.logs'), of('legacy'), of('other')]).toEqual(['otlp_proto', 'json', 'text']);
    expect(encodingResolver(undefined)('x')).toBe('auto');
    expect(() => encodingResolver(['a=yaml'])).toThrow(/unknown input encoding/);
  });
});
