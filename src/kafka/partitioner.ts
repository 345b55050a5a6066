import { randomInt } from 'node:crypto';
import type { ICustomPartitioner } from 'kafkajs';
import { murmur2, toPositive } from './murmur2.js';

/**
 * kafkajs' DefaultPartitioner with a linear-time hash: a keyed record goes where the Java client
 * puts it (toPositive(murmur2(key)) % partitions, key bytes as given or the string's UTF-8), so
 * events stay beside their source per key. Records without a key go round-robin over the
 * partitions that have a leader, as kafkajs does. Nothing here reads more than the key once.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const key = message.key;
    if (key !== null && key !== undefined) {
      const bytes = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
      return toPositive(murmur2(bytes)) % partitionMetadata.length;
    }
    const next = (counters.get(topic) ?? randomInt(0x7fffffff)) + 1;
    counters.set(topic, next);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (available.length > 0) return (available[toPositive(next) % available.length] as { partitionId: number }).partitionId;
    return toPositive(next) % partitionMetadata.length;
  };
};
