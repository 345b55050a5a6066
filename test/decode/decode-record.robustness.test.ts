import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/decode/decode-record.js';
import { DECODE_ISSUES, type DecodedRecord, type DecodeOptions } from '../../src/decode/types.js';

const opts: DecodeOptions = { maxRecordBytes: 1024 };

/** What must hold for every decoded record, whatever went in. */
function checkInvariants(d: DecodedRecord, raw: Buffer | string, o: DecodeOptions = opts): void {
  expect(typeof d.text).toBe('string');
  expect(d.bytes).toBe(typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length);
  expect(d.text.length).toBeLessThanOrEqual(o.maxRecordBytes);
  for (const issue of d.issues) expect(DECODE_ISSUES).toContain(issue);
  expect(new Set(d.issues).size).toBe(d.issues.length);
  expect(d.format === 'json' || d.format === 'text').toBe(true);
  expect(typeof d.event).toBe('object');
  if (d.issues.includes('binary')) expect(d.text).toBe('');
  // The event is written back as JSON: that must never throw.
  expect(() => JSON.stringify(d.event)).not.toThrow();
}

describe('decodeRecord: robustness cases', () => {
  it('invalid JSON that starts with { is matched as plain text, flagged invalid-json', () => {
    for (const raw of ['{"msg": "connection pool exhausted"', '{not json at all}', '{ "a": 1, }', '{']) {
      const d = decodeRecord(raw, opts);
      expect(d).toMatchObject({ text: raw, format: 'text', event: { message: raw } });
      expect(d.issues).toEqual(['invalid-json']);
    }
  });

  it('JSON values that are not objects', () => {
    expect(decodeRecord('"Too many open files"', opts)).toMatchObject({ text: 'Too many open files', format: 'json', issues: [] });
    expect(decodeRecord('["socket exhausted", {"msg": "pool starved"}, 7]', opts)).toMatchObject({
      text: 'socket exhausted\npool starved\n7',
      format: 'json',
      event: { message: 'socket exhausted\npool starved\n7' },
    });
    expect(decodeRecord('[{"msg":"x","service":"a"},{"msg":"y","service":"b"}]', opts).service).toBe('a');
    expect(decodeRecord('42', opts)).toMatchObject({ text: '42', issues: [] });
    expect(decodeRecord('null', opts)).toMatchObject({ text: 'null', issues: [] });
    expect(decodeRecord('[]', opts)).toMatchObject({ text: '', format: 'json', issues: ['empty'] });
  });

  it('invalid UTF-8 is decoded with replacement characters and flagged', () => {
    const raw = Buffer.concat([Buffer.from('connect: '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' too many open files')]);
    const d = decodeRecord(raw, opts);
    expect(d.issues).toEqual(['invalid-utf8']);
    expect(d.text).toContain('\uFFFD');
    expect(d.text).toContain('too many open files');
  });

  it('a valid U+FFFD in the input is not flagged', () => {
    const d = decodeRecord(Buffer.from('replacement \uFFFD char'), opts);
    expect(d.issues).toEqual([]);
  });

  it('invalid UTF-8 inside JSON still decodes the JSON', () => {
    const raw = Buffer.concat([Buffer.from('{"msg":"bad '), Buffer.from([0xfe]), Buffer.from(' byte","service":"s"}')]);
    const d = decodeRecord(raw, opts);
    expect(d).toMatchObject({ format: 'json', text: 'bad \uFFFD byte', service: 's' });
    expect(d.issues).toEqual(['invalid-utf8']);
  });

  it('a string with a lone surrogate is flagged invalid-utf8 and repaired', () => {
    const d = decodeRecord('broken \uD800 pair', opts);
    expect(d.issues).toEqual(['invalid-utf8']);
    expect(d.text).toBe('broken \uFFFD pair');
  });

  it('binary junk is flagged and not matched, but still counted', () => {
    const junk = Buffer.from([0x00, 0x00, 0x01, 0x02, 0x41, 0x42, 0x00, 0x10, 0x11, 0x43]);
    const d = decodeRecord(junk, opts);
    expect(d).toMatchObject({ text: '', issues: ['binary'], bytes: junk.length });
    // An Avro/protobuf-like payload that happens to start with {.
    const braced = Buffer.concat([Buffer.from('{'), Buffer.alloc(40, 0), Buffer.from('}')]);
    expect(decodeRecord(braced, opts).issues).toEqual(['binary']);
  });

  it('text with ANSI colours, tabs and a stray control byte is not binary', () => {
    const line = '\u001b[31mERROR\u001b[0m\tHikariPool-1 - Connection is not available\u0007 (bell)';
    expect(decodeRecord(line, opts).issues).toEqual([]);
  });

  it('over maxRecordBytes: truncated on a UTF-8 boundary and flagged too-large', () => {
    const small: DecodeOptions = { maxRecordBytes: 10 };
    // 'é' is 2 bytes: a cut at 10 bytes falls after the 5th; at 9 bytes it must back off to 8.
    const d = decodeRecord(Buffer.from('éééééééé'), small);
    expect(d.text).toBe('ééééé');
    expect(d.issues).toEqual(['too-large']);
    expect(d.bytes).toBe(16);
    const odd = decodeRecord(Buffer.from('aéééééééé'), small);
    expect(odd.text).toBe('aéééé');
    expect(odd.issues).toEqual(['too-large']);
    const s = decodeRecord('a€€€€', small); // € is 3 bytes
    expect(s.text).toBe('a€€€');
    expect(s.issues).toEqual(['too-large']);
  });

  it('over maxRecordBytes JSON is matched as truncated text, never parsed', () => {
    const raw = JSON.stringify({ msg: 'x'.repeat(100), err: { message: 'Too many open files' } });
    const d = decodeRecord(raw, { maxRecordBytes: 50 });
    expect(d.format).toBe('text');
    expect(d.issues).toEqual(['too-large']);
    expect(d.text).toBe(raw.slice(0, 50));
  });

  it('JSON nested deeper than maxJsonDepth is matched as text, flagged too-deep', () => {
    const deep = `{"msg":"x","a":${'['.repeat(100)}${']'.repeat(100)}}`;
    const d = decodeRecord(deep, { maxRecordBytes: 4096 });
    expect(d).toMatchObject({ format: 'text', text: deep, issues: ['too-deep'] });
    expect(decodeRecord(deep, { maxRecordBytes: 4096, maxJsonDepth: 200 })).toMatchObject({ format: 'json', text: 'x' });
  });

  it('very deep nesting (beyond any stack) does not throw', () => {
    const n = 200_000;
    const raw = `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
    const d = decodeRecord(raw, { maxRecordBytes: 1 << 20 });
    expect(d.issues).toEqual(['too-deep']);
    expect(() => JSON.stringify(d.event)).not.toThrow();
  });

  it('braces inside strings do not count as nesting', () => {
    const raw = JSON.stringify({ msg: '{'.repeat(500), note: '[[[["\\' });
    expect(decodeRecord(raw, { maxRecordBytes: 4096 })).toMatchObject({ format: 'json', text: '{'.repeat(500) });
  });

  it('__proto__ keys stay data', () => {
    const d = decodeRecord('{"__proto__":{"polluted":true},"msg":"x"}', opts);
    expect(d.text).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(d.event)).toBe(Object.prototype);
  });

  it('a huge field is bounded by the record limit', () => {
    const raw = JSON.stringify({ msg: 'm'.repeat(200_000), stack: 's'.repeat(200_000) });
    const d = decodeRecord(raw, { maxRecordBytes: 1 << 20 });
    expect(d.text.length).toBeLessThanOrEqual(1 << 20);
    expect(d.text.startsWith('m'.repeat(200_000))).toBe(true);
  });

  it('long frame arrays and cause chains are cut', () => {
    const frames = Array.from({ length: 5000 }, (_, i) => ({ class: 'C', method: `m${i}`, file: 'C.java', line: i }));
    let thrown: Record<string, unknown> = { name: 'E0', message: 'root', extendedStackTrace: frames };
    for (let i = 1; i < 50; i++) thrown = { name: `E${i}`, message: `level ${i}`, cause: thrown };
    const d = decodeRecord(JSON.stringify({ message: 'm', thrown }), { maxRecordBytes: 1 << 22, maxJsonDepth: 256 });
    expect(d.text.split('\n').filter((l) => l.startsWith('Caused by:')).length).toBeLessThanOrEqual(8);
    expect(d.text.split('\n').filter((l) => l.startsWith('\tat ')).length).toBeLessThanOrEqual(512);
  });

  it('empty and blank records are flagged empty', () => {
    expect(decodeRecord('', opts)).toMatchObject({ text: '', issues: ['empty'], bytes: 0 });
    expect(decodeRecord(Buffer.alloc(0), opts)).toMatchObject({ text: '', issues: ['empty'] });
    expect(decodeRecord('  \t ', opts)).toMatchObject({ text: '', issues: ['empty'] });
  });

  it('a UTF-8 BOM before JSON or text is ignored', () => {
    expect(decodeRecord('\uFEFF{"msg":"x"}', opts)).toMatchObject({ text: 'x', format: 'json' });
    expect(decodeRecord(Buffer.from('\uFEFFplain'), opts)).toMatchObject({ text: 'plain', format: 'text' });
  });

  it('an issue list without issues is shared and frozen (no allocation per record)', () => {
    const a = decodeRecord('a', opts);
    const b = decodeRecord('b', opts);
    expect(a.issues).toBe(b.issues);
    expect(Object.isFrozen(a.issues)).toBe(true);
  });
});

describe('decodeRecord: fuzzing', () => {
  const small: DecodeOptions = { maxRecordBytes: 256 };

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const raw = Buffer.from(bytes);
        checkInvariants(decodeRecord(raw, small), raw, small);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary strings (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        checkInvariants(decodeRecord(s, small), s, small);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON; objects decode as json', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const raw = JSON.stringify(value);
        const d = decodeRecord(raw, opts);
        checkInvariants(d, raw);
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && Buffer.byteLength(raw) <= opts.maxRecordBytes) {
          expect(d.format).toBe('json');
          expect(d.event).toEqual(JSON.parse(raw));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws when known fields hold values of any type', () => {
    const known = ['msg', 'message', 'err', 'error', 'thrown', 'body', 'attributes', 'resource', 'kubernetes', '@x', 'exception', 'service', 'resourceLogs', 'log'];
    const anyValue = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...known), anyValue, { maxKeys: 6 }), (record) => {
        const raw = JSON.stringify(record);
        checkInvariants(decodeRecord(raw, { maxRecordBytes: 1 << 16 }), raw, { maxRecordBytes: 1 << 16 });
      }),
      { numRuns: 1000 },
    );
  });

  it('the text of a known message field is found whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== '' && !/[\r\n]$/.test(s)),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
        (msg, extra) => {
          const { msg: _m, err: _e, ...rest } = extra as Record<string, unknown>;
          const d = decodeRecord(JSON.stringify({ ...rest, msg }), { maxRecordBytes: 1 << 16 });
          expect(d.text).toContain(msg);
        },
      ),
      { numRuns: 500 },
    );
  });
});
