/**
 * Kafka's snappy payloads come in two shapes: the Java client (snappy-java) writes the "xerial"
 * framing — a 16-byte header, then blocks of [int32 length][raw snappy] — while librdkafka writes
 * one raw snappy block. A consumer must read both; we write the xerial framing, which every
 * client reads (snappy-java falls back to raw only on the way in).
 */

/** 0x82 'SNAPPY' 0, then version 1 and minimum compatible version 1. */
const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const HEADER_BYTES = 16;
/** snappy-java's default block size. */
const BLOCK_BYTES = 32 * 1024;

export type RawSnappy = (input: Buffer) => Promise<Buffer>;

export function isXerialFramed(payload: Buffer): boolean {
  return payload.length >= HEADER_BYTES && payload.subarray(0, MAGIC.length).equals(MAGIC);
}

export async function xerialDecode(payload: Buffer, uncompress: RawSnappy): Promise<Buffer> {
  if (!isXerialFramed(payload)) return uncompress(payload);
  const parts: Buffer[] = [];
  let at = HEADER_BYTES;
  while (at < payload.length) {
    if (at + 4 > payload.length) throw new Error(`snappy (xerial): truncated block length at byte ${at}`);
    const size = payload.readInt32BE(at);
    at += 4;
    if (size < 0 || at + size > payload.length) throw new Error(`snappy (xerial): block of ${size} bytes at byte ${at} runs past the end (${payload.length})`);
    parts.push(await uncompress(payload.subarray(at, at + size)));
    at += size;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

export async function xerialEncode(input: Buffer, compress: RawSnappy): Promise<Buffer> {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < input.length; at += BLOCK_BYTES) {
    const block = await compress(input.subarray(at, Math.min(at + BLOCK_BYTES, input.length)));
    const size = Buffer.alloc(4);
    size.writeInt32BE(block.length, 0);
    parts.push(size, block);
  }
  return Buffer.concat(parts);
}
