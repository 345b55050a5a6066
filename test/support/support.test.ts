// Pure parts of the Kafka test support: the ApiVersions codec, the release table, bounded waits.
import { describe, expect, it } from 'vitest';
import {
  decodeApiVersionsResponse,
  encodeApiVersionsRequest,
  releaseOfMetadataLevel,
  uvarint,
} from './api-versions.js';
import { splitBrokers } from './discover-broker.js';
import { waitUntil } from './kafka.js';

function i16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function compactString(s: string): Buffer {
  return Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
}

describe('ApiVersions codec', () => {
  it('frames a v3 request with header v2', () => {
    const frame = encodeApiVersionsRequest(7, 'c');
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt16BE(4)).toBe(18); // ApiVersions
    expect(frame.readInt16BE(6)).toBe(3);
    expect(frame.readInt32BE(8)).toBe(7);
    expect(frame.readInt16BE(12)).toBe(1);
    expect(frame.toString('utf8', 14, 15)).toBe('c');
  });

  it('reads api keys and finalized features, skipping unknown tags', () => {
    const finalized = Buffer.concat([
      uvarint(3), // two entries
      compactString('metadata.version'),
      i16(30),
      i16(1),
      uvarint(0),
      compactString('group.version'),
      i16(1),
      i16(1),
      uvarint(0),
    ]);
    const body = Buffer.concat([
      i16(0),
      uvarint(2), // one api key
      i16(18),
      i16(0),
      i16(4),
      uvarint(0),
      Buffer.from([0, 0, 0, 0]), // throttle
      uvarint(2), // two tagged fields
      uvarint(1), // FinalizedFeaturesEpoch, not needed
      uvarint(8),
      Buffer.alloc(8),
      uvarint(2),
      uvarint(finalized.length),
      finalized,
    ]);
    const answer = decodeApiVersionsResponse(body);
    expect(answer.errorCode).toBe(0);
    expect(answer.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
    expect([...answer.finalizedFeatures]).toEqual([
      ['metadata.version', 30],
      ['group.version', 1],
    ]);
  });

  it('encodes unsigned varints', () => {
    expect([...uvarint(0)]).toEqual([0]);
    expect([...uvarint(300)]).toEqual([0xac, 0x02]);
  });
});

describe('releaseOfMetadataLevel', () => {
  it('maps the levels our pinned releases format with', () => {
    expect(releaseOfMetadataLevel(21)).toBe('3.9');
    expect(releaseOfMetadataLevel(30)).toBe('4.3');
    expect(releaseOfMetadataLevel(22)).toBe('4.0');
    expect(releaseOfMetadataLevel(99)).toBeNull();
  });
});

describe('splitBrokers', () => {
  it('splits and trims a KAFKA_BROKERS list', () => {
    expect(splitBrokers(' a:1, b:2 ,,')).toEqual(['a:1', 'b:2']);
  });
});

describe('waitUntil', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    await expect(waitUntil(() => (++calls >= 3 ? calls : 0), { intervalMs: 1 })).resolves.toBe(3);
  });

  it('fails at the deadline with the last error as cause', async () => {
    const failure = waitUntil(
      () => {
        throw new Error('not yet');
      },
      { timeoutMs: 30, intervalMs: 5, what: 'the impossible' },
    );
    await expect(failure).rejects.toThrow('timed out after 30 ms waiting for the impossible');
    await expect(failure).rejects.toHaveProperty('cause.message', 'not yet');
  });
});
