/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), the hash the Java producer uses
 * to pick a key's partition. 32-bit arithmetic throughout (Math.imul, `| 0`), as in Java: one
 * pass over the key, constant memory. kafkajs 2.2.4's own copy multiplies through a BigInt-backed
 * Long that is never cut back to 64 bits, so the numbers grow with the key and hashing is
 * quadratic in its length (a 200 KB key took seconds).
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last 1–3 bytes, as Java's fall-through switch takes them.
  const rest = length & 3;
  if (rest === 3) h ^= (data[whole + 2] as number) << 16;
  if (rest >= 2) h ^= (data[whole + 1] as number) << 8;
  if (rest >= 1) {
    h ^= data[whole] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Utils.toPositive: a sign bit cleared, not an absolute value (Java's partitionForKey). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
