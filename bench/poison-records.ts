/**
 * What one hostile record costs before and after the fixes of issue #14: hashing a large key for
 * its partition (kafkajs' murmur2 vs ours) and decoding a record with many headers (kafkajs'
 * record decoder vs the patched one). CPU time per call, in one run; kafkajs' hash is only timed
 * up to 200 KB (it is quadratic: 1.2 MB would take minutes). `npm run bench:poison`.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { decodeRecord } from '../src/kafka/kafkajs-patches.js';
import { murmur2 } from '../src/kafka/murmur2.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (r: object) => { buffer: Buffer };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => { readVarInt(): number };

function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function originalRecordDecoder(): (d: unknown, ctx: object) => unknown {
  const path = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
  const mod = { exports: {} as unknown };
  new Function('module', 'exports', 'require', readFileSync(path, 'utf8'))(mod, mod.exports, createRequire(path));
  return mod.exports as (d: unknown, ctx: object) => unknown;
}

const show = (r: string[]) => console.log(r.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(14))).join(''));
show(['case', 'kafkajs ms', 'faultline ms']);
for (const kb of [10, 100, 200, 1200]) {
  const key = Buffer.alloc(kb * 1000, 0x61);
  const before = kb <= 200 ? cpuMs(() => kafkajsMurmur2(key)).toFixed(1) : 'not run';
  show([`murmur2 of a ${kb} KB key`, before, cpuMs(() => murmur2(key)).toFixed(2)]);
}
const ctx = { firstOffset: '0', firstTimestamp: '0', magicByte: 2, timestampType: 0, maxTimestamp: '0' };
const original = originalRecordDecoder();
for (const n of [1000, 5000, 10_000]) {
  const headers: Record<string, string> = {};
  for (let i = 0; i < n; i++) headers[`h${i}`] = 'v';
  const buf = encodeRecord({ key: Buffer.from('k'), value: Buffer.from('v'), headers }).buffer;
  const decoder = () => {
    const d = new Decoder(buf);
    d.readVarInt();
    return d;
  };
  show([`decode a record with ${n} headers`, cpuMs(() => original(decoder(), ctx)).toFixed(1), cpuMs(() => decodeRecord(decoder() as never, ctx)).toFixed(1)]);
}
