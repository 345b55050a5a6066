// A raw ApiVersions (v3) round trip: the one Kafka request that tells which protocol versions
// and which finalized features (metadata.version) a broker has. kafkajs keeps this to itself and
// only knows ApiVersions v0-v2, which carry no features.
import { Socket } from 'node:net';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResult {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** Finalized feature levels, e.g. metadata.version -> 30. Empty before Kafka 2.7. */
  finalizedFeatures: Map<string, number>;
}

const API_VERSIONS_KEY = 18;
const API_VERSIONS_VERSION = 3;

/** Request header v2 + ApiVersionsRequest v3, with the 4-byte size prefix. */
export function encodeApiVersionsRequest(correlationId: number, clientId: string): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const software = Buffer.from('faultline-tests', 'utf8');
  const softwareVersion = Buffer.from('1', 'utf8');
  const body = Buffer.concat([
    int16(API_VERSIONS_KEY),
    int16(API_VERSIONS_VERSION),
    int32(correlationId),
    int16(client.length),
    client, // header v2 keeps client_id as a classic (non-compact) string
    uvarint(0), // header tagged fields
    uvarint(software.length + 1),
    software,
    uvarint(softwareVersion.length + 1),
    softwareVersion,
    uvarint(0), // body tagged fields
  ]);
  return Buffer.concat([int32(body.length), body]);
}

/** Parses an ApiVersionsResponse v3 body that follows the 4-byte correlation id. */
export function decodeApiVersionsResponse(buf: Buffer): ApiVersionsResult {
  const r = new Reader(buf);
  const errorCode = r.int16();
  const apiKeys: ApiVersionRange[] = [];
  const keyCount = r.uvarint() - 1;
  for (let i = 0; i < keyCount; i++) {
    apiKeys.push({ apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() });
    r.skipTaggedFields();
  }
  if (errorCode !== 0) {
    // An UNSUPPORTED_VERSION answer is v0-shaped from here on; the key list is all we can use.
    return { errorCode, apiKeys, finalizedFeatures: new Map() };
  }
  r.int32(); // throttle_time_ms
  const finalizedFeatures = new Map<string, number>();
  const tagCount = r.uvarint();
  for (let i = 0; i < tagCount; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    const end = r.offset + size;
    if (tag === 2) {
      // FinalizedFeatures: [name, max_version_level, min_version_level]
      const count = r.uvarint() - 1;
      for (let j = 0; j < count; j++) {
        const name = r.compactString();
        const maxLevel = r.int16();
        r.int16();
        r.skipTaggedFields();
        finalizedFeatures.set(name, maxLevel);
      }
    }
    r.offset = end;
  }
  return { errorCode, apiKeys, finalizedFeatures };
}

/** Sends ApiVersions v3 to one broker ("host:port") and returns its answer. */
export async function fetchApiVersions(broker: string, timeoutMs = 5_000): Promise<ApiVersionsResult> {
  const { host, port } = splitHostPort(broker);
  const correlationId = 0x5a17;
  const socket = new Socket();
  try {
    const frame = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ApiVersions to ${broker}: no answer in ${timeoutMs} ms`)), timeoutMs);
      let received = Buffer.alloc(0);
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`ApiVersions to ${broker}: ${err.message}`));
      });
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
          clearTimeout(timer);
          resolve(received.subarray(4, 4 + received.readInt32BE(0)));
        }
      });
      socket.connect(port, host, () => socket.write(encodeApiVersionsRequest(correlationId, 'faultline-tests')));
    });
    if (frame.readInt32BE(0) !== correlationId) {
      throw new Error(`ApiVersions to ${broker}: correlation id mismatch`);
    }
    // ApiVersions responses always use response header v0 (no tagged fields), even for v3.
    return decodeApiVersionsResponse(frame.subarray(4));
  } finally {
    socket.destroy();
  }
}

// Production metadata.version levels and the release that introduced them
// (org.apache.kafka.server.common.MetadataVersion, read from the 4.3.1 jars). A freshly
// formatted broker finalizes the highest production level of its release.
const METADATA_VERSION_RELEASES: ReadonlyArray<readonly [maxLevel: number, release: string]> = [
  [7, '3.3'],
  [8, '3.4'],
  [11, '3.5'],
  [14, '3.6'],
  [19, '3.7'],
  [20, '3.8'],
  [21, '3.9'],
  [25, '4.0'],
  [27, '4.1'],
  [29, '4.2'],
  [30, '4.3'],
];

/** "X.Y" release whose metadata.version range holds `level`, or null if newer than we know. */
export function releaseOfMetadataLevel(level: number): string | null {
  for (const [maxLevel, release] of METADATA_VERSION_RELEASES) {
    if (level <= maxLevel) return release;
  }
  return null;
}

function splitHostPort(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(':');
  const port = Number(broker.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port)) throw new Error(`not a host:port broker address: ${broker}`);
  return { host: broker.slice(0, at).replace(/^\[|\]$/g, ''), port };
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  int16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buf.readUInt8(this.offset++);
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    throw new Error('malformed unsigned varint');
  }

  compactString(): string {
    const len = this.uvarint() - 1;
    const s = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.offset += this.uvarint();
    }
  }
}
