// The fetch guard on record sets made by kafkajs' own encoders: readable batches decode as
// kafkajs decodes them; an unreadable first batch becomes a fault with its base offset and cause.
import { createRequire } from 'node:module';
import { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerCodecs } from '../../src/kafka/codecs/registry.js';
import { batchFaultOf, guardedDecodeMessages, installFetchGuard } from '../../src/kafka/fetch-guard.js';

registerCodecs();
installFetchGuard();

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (o: object) => Promise<Encoded> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: object) => Encoded;
const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: number): unknown };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => { offset: number; buffer: Buffer; readInt32(): number; readBytes(n: number): Buffer; canReadBytes(n: number): boolean };

async function batch(firstOffset: number, values: string[], compression = CompressionTypes.None): Promise<Buffer> {
  const records = values.map((v, i) => Record({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(v) }));
  const encoded = await RecordBatch({ compression, firstOffset: Long.fromValue(firstOffset), lastOffsetDelta: values.length - 1, records });
  return encoded.buffer;
}

/** A partition's record set as it sits in a Fetch response: int32 size, then the batches. */
function recordSet(...batches: Buffer[]) {
  const body = Buffer.concat(batches);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Decoder(Buffer.concat([size, body]));
}

const values = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} line ${i}: connection pool exhausted after 30000 ms`);

/** Flips the bytes of the compressed payload, past the 61-byte batch header. */
function corruptPayload(b: Buffer): Buffer {
  const c = Buffer.from(b);
  for (let i = 61; i < Math.min(c.length, 61 + 16); i++) c[i] = (c[i] as number) ^ 0xa5;
  return c;
}

describe('guardedDecodeMessages', () => {
  it('decodes every codec and plain batches in one set, as kafkajs would', async () => {
    const set = recordSet(
      await batch(0, values(3, 'plain')),
      await batch(3, values(4, 'gzip'), CompressionTypes.GZIP),
      await batch(7, values(5, 'snappy'), CompressionTypes.Snappy),
      await batch(12, values(6, 'lz4'), CompressionTypes.LZ4),
    );
    const records = (await guardedDecodeMessages(set)) as Array<{ offset: string; value: Buffer }>;
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 18 }, (_, i) => String(i)));
    expect(records[12]!.value.toString()).toBe('lz4 line 0: connection pool exhausted after 30000 ms');
    expect(batchFaultOf(records)).toBeUndefined();
  });

  it('a first batch that does not decompress: no records, a fault with its base offset', async () => {
    const set = recordSet(corruptPayload(await batch(40, values(5, 'bad'), CompressionTypes.LZ4)), await batch(45, values(2, 'after')));
    const records = await guardedDecodeMessages(set);
    expect(records).toHaveLength(0);
    expect(batchFaultOf(records)).toMatchObject({ offset: '40', reason: 'decompression_failed', error: expect.stringMatching(/CodecError: lz4/) });
  });

  it('readable batches before a bad one are returned, without a fault (the next fetch starts at the bad one)', async () => {
    const set = recordSet(await batch(0, values(3, 'good')), corruptPayload(await batch(3, values(5, 'bad'), CompressionTypes.GZIP)));
    const records = await guardedDecodeMessages(set);
    expect(records.map((r) => r.offset)).toEqual(['0', '1', '2']);
    expect(batchFaultOf(records)).toBeUndefined();
  });

  it('a codec id Kafka does not define is an unsupported codec, not garbage records', async () => {
    const b = await batch(9, values(2, 'x'));
    b.writeInt16BE(b.readInt16BE(21) | 6, 21);
    const records = await guardedDecodeMessages(recordSet(b));
    expect(batchFaultOf(records)).toMatchObject({ offset: '9', reason: 'unsupported_codec' });
  });

  it('an unknown magic byte is an unknown format', async () => {
    const b = await batch(5, values(2, 'x'));
    b.writeInt8(7, 16);
    expect(batchFaultOf(await guardedDecodeMessages(recordSet(b)))).toMatchObject({ offset: '5', reason: 'unknown_format' });
  });

  it('a first batch whose length runs past the fetched bytes is corrupt (the broker sends a first batch whole)', async () => {
    const b = await batch(77, values(2, 'x'));
    b.writeInt32BE(b.length * 4, 8);
    expect(batchFaultOf(await guardedDecodeMessages(recordSet(b)))).toMatchObject({ offset: '77', reason: 'corrupt_batch' });
  });

  it('a tail cut at maxBytes after a whole batch is not a fault', async () => {
    const whole = await batch(0, values(2, 'x'));
    const next = await batch(2, values(50, 'y'));
    const records = await guardedDecodeMessages(recordSet(whole, next.subarray(0, 100)));
    expect(records.map((r) => r.offset)).toEqual(['0', '1']);
    expect(batchFaultOf(records)).toBeUndefined();
  });

  it('records that do not parse after decompression are a corrupt batch', async () => {
    const b = await batch(3, values(4, 'plain'));
    // Claim far more records than the batch holds: the record decoder runs off its buffer.
    b.writeInt32BE(4000, 57);
    expect(batchFaultOf(await guardedDecodeMessages(recordSet(b)))).toMatchObject({ offset: '3', reason: 'corrupt_batch' });
  });
});
