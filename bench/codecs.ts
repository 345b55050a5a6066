/**
 * `npm run bench:codecs`: each Kafka codec faultline registers, on realistic batches — ~64 KiB of
 * consecutive loghub lines (what an input batch holds) and ~64 KiB of the worker's tagged events
 * (what it writes). Prints ratio, and compression / decompression rates in MB of input per CPU
 * second (this process's user+system time, so a loaded machine does not skew the comparison).
 */
import { TRANSFORMS, type CodecName } from '../src/kafka/codecs/registry.js';
import { RUNTIME_ZSTD } from '../src/kafka/codecs/zstd-runtime.js';
import { loadBackground } from './corpus.js';

const ROUNDS = 8;

function batches(items: readonly string[], bytes: number, count: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let b = 0; b < count; b++) {
    const parts: string[] = [];
    let n = 0;
    while (n < bytes) {
      const item = items[at++ % items.length] as string;
      parts.push(item);
      n += item.length + 1;
    }
    out.push(Buffer.from(parts.join('\n')));
  }
  return out;
}

function taggedEvents(lines: readonly string[]): string[] {
  return lines.slice(0, 4000).map((line, i) =>
    JSON.stringify({
      message: line,
      faultline: {
        matches: [{ id: 'java/hikari-connection-timeout', signals: ['pool-starvation'], confidence: 0.9, span: [0, Math.min(40, line.length)] }],
        signals: ['pool-starvation'],
        source: { kind: 'kafka', topic: 'app-logs', partition: i % 6, offset: String(100000 + i), timestamp: String(1730000000000 + i) },
        service: `svc-${i % 17}`,
      },
    }),
  );
}

async function cpuMs(work: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function measure(name: string, inputs: readonly Buffer[]): Promise<void> {
  const total = inputs.reduce((n, b) => n + b.length, 0);
  console.log(`\n${name}: ${inputs.length} batches, ${(total / 1024).toFixed(0)} KiB`);
  console.log('codec    ratio   compress MB/cpu-s   decompress MB/cpu-s');
  for (const codec of Object.keys(TRANSFORMS) as CodecName[]) {
    const t = TRANSFORMS[codec];
    const compress = t.compress ?? (async (b: Buffer) => b);
    const packed = await Promise.all(inputs.map((b) => compress(b)));
    const size = packed.reduce((n, b) => n + b.length, 0);
    const cMs = t.compress === undefined ? NaN : await cpuMs(async () => {
      for (let r = 0; r < ROUNDS; r++) for (const b of inputs) await compress(b);
    });
    const dMs = t.compress === undefined ? NaN : await cpuMs(async () => {
      for (let r = 0; r < ROUNDS; r++) for (const b of packed) await t.decompress(b);
    });
    const rate = (ms: number) => (Number.isNaN(ms) ? '   n/a' : ((ROUNDS * total) / 1e6 / (ms / 1000)).toFixed(0).padStart(6));
    console.log(`${codec.padEnd(8)} ${t.compress === undefined ? '  n/a' : (total / size).toFixed(2).padStart(5)}   ${rate(cMs)}              ${rate(dMs)}`);
  }
}

const background = loadBackground();
console.log(`Node ${process.versions.node}; zstd from ${RUNTIME_ZSTD ? 'node:zlib' : 'fzstd (decompression only: no zstd compressor on this Node)'}; background: ${background.origin}`);
const lines = background.files.flat();
await measure('input: log lines', batches(lines, 64 * 1024, 40));
await measure('output: tagged events', batches(taggedEvents(lines), 64 * 1024, 40));
