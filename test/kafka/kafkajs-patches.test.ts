import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRecord, installKafkajsPatches, kafkajsPatched } from '../../src/kafka/kafkajs-patches.js';

const require = createRequire(import.meta.url);
type Headers = Record<string, Buffer | string | (Buffer | string)[]>;
interface EncoderInstance {
  buffer: Buffer;
}
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (r: { key: Buffer; value: Buffer; headers: Headers }) => EncoderInstance;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => { readVarInt(): number };

/** kafkajs' own record decoder: read from its file, whatever the cache holds now. */
function originalDecoder(): (decoder: unknown, ctx: unknown) => unknown {
  const path = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
  const mod = { exports: {} as unknown };
  const source = require('node:fs').readFileSync(path, 'utf8') as string;
  const localRequire = createRequire(path);
  new Function('module', 'exports', 'require', source)(mod, mod.exports, localRequire);
  return mod.exports as (decoder: unknown, ctx: unknown) => unknown;
}

const ctx = { firstOffset: '100', firstTimestamp: '1700000000000', magicByte: 2, timestampType: 0, maxTimestamp: '1700000000000' };

function decoderFor(headers: Headers): unknown {
  const buf = encodeRecord({ key: Buffer.from('k'), value: Buffer.from('v'), headers }).buffer;
  const d = new Decoder(buf);
  d.readVarInt(); // the record's length, read by the batch decoder before the record decoder runs
  return d;
}

describe('kafkajs record decoder patch', () => {
  it('is installed before the record batch decoder loads', () => {
    installKafkajsPatches();
    expect(kafkajsPatched()).toBe(true);
    const batchDecoder = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js');
    require(batchDecoder);
    expect(require.cache[batchDecoder]).toBeDefined();
  });

  it('decodes records exactly as kafkajs does, repeated header keys included', () => {
    const original = originalDecoder();
    const cases: Headers[] = [
      {},
      { a: 'x' },
      { a: 'x', b: Buffer.from([0, 255]), c: '' },
      { dup: ['1', '2', '3'], other: 'o', pair: ['p', 'q'] },
    ];
    for (const headers of cases) {
      expect(decodeRecord(decoderFor(headers) as never, ctx)).toEqual(original(decoderFor(headers), ctx));
    }
  });

  it('keeps oddly named headers as plain keys', () => {
    const out = decodeRecord(decoderFor({ __proto__x: 'a', toString: 'b', constructor: ['c', 'd'] }) as never, ctx).headers;
    expect(Object.keys(out)).toEqual(['__proto__x', 'toString', 'constructor']);
    expect(out.toString).toEqual(Buffer.from('b'));
    expect(out.constructor).toEqual([Buffer.from('c'), Buffer.from('d')]);
  });

  it('decodes 100,000 headers, distinct and repeated', () => {
    const distinct: Headers = {};
    for (let i = 0; i < 100_000; i++) distinct[`h${i}`] = '';
    expect(Object.keys(decodeRecord(decoderFor(distinct) as never, ctx).headers)).toHaveLength(100_000);
    const repeated = decodeRecord(decoderFor({ same: Array.from({ length: 100_000 }, () => 'v') }) as never, ctx).headers;
    expect(repeated.same).toHaveLength(100_000);
  });
});
