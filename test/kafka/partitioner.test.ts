import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, toPositive } from '../../src/kafka/murmur2.js';
import { JavaCompatiblePartitioner } from '../../src/kafka/partitioner.js';

const require = createRequire(import.meta.url);
/** kafkajs' own (quadratic) murmur2: the reference on keys short enough for it. */
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;

function metadata(n: number, down: number[] = []): PartitionMetadata[] {
  return Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: down.includes(i) ? -1 : 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
}

describe('murmur2', () => {
  // clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('gives the Java client hash of %j', (key, hash) => {
    expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('equals kafkajs murmur2 on short keys of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const key = Buffer.from(bytes);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }),
      { numRuns: 500 },
    );
  });

  it('clears the sign bit rather than taking an absolute value', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(5)).toBe(5);
  });
});

describe('JavaCompatiblePartitioner', () => {
  it('puts a keyed record where the Java client would', () => {
    const partition = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(7);
    for (const [key, hash] of [['foobar', -790332482], ['21', -973932308], ['abc', 479470107]] as const) {
      expect(partition({ topic: 't', partitionMetadata, message: { key, value: 'v' } })).toBe((hash & 0x7fffffff) % 7);
      expect(partition({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: 'v' } })).toBe((hash & 0x7fffffff) % 7);
    }
  });

  it('hashes a string key as its UTF-8 bytes', () => {
    const partition = JavaCompatiblePartitioner();
    const key = 'clé-ß-日本';
    expect(partition({ topic: 't', partitionMetadata: metadata(11), message: { key, value: 'v' } })).toBe(toPositive(murmur2(Buffer.from(key, 'utf8'))) % 11);
  });

  it('keeps an explicit partition', () => {
    const partition = JavaCompatiblePartitioner();
    expect(partition({ topic: 't', partitionMetadata: metadata(3), message: { key: 'k', value: 'v', partition: 2 } })).toBe(2);
  });

  it('spreads records without a key round-robin over partitions that have a leader', () => {
    const partition = JavaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [1]);
    const seen = Array.from({ length: 9 }, () => partition({ topic: 't', partitionMetadata, message: { key: null, value: 'v' } }));
    expect(new Set(seen)).toEqual(new Set([0, 2, 3]));
    // Consecutive: each next record goes to the next available partition.
    for (let i = 1; i < seen.length; i++) expect([0, 2, 3].indexOf(seen[i] as number)).toBe(([0, 2, 3].indexOf(seen[i - 1] as number) + 1) % 3);
  });
});
