/**
 * The inputs binary detection is judged on (docs/binary-detection.md): real text (loghub lines,
 * the rules' examples) and binary (random bytes, compressed loghub text, images). Shared by the
 * bench and the tests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { loadRules } from '../src/kb/load.js';

export const LOGHUB_DIR = new URL('../../shared/data/loghub/', import.meta.url).pathname;

/** Every line of every loghub *_2k.log file, as bytes (Latin-1 and all). */
export function loghubLines(): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(LOGHUB_DIR).filter((f) => f.endsWith('.log')).sort()) {
    const data = readFileSync(join(LOGHUB_DIR, name));
    let at = 0;
    while (at < data.length) {
      let nl = data.indexOf(0x0a, at);
      if (nl < 0) nl = data.length;
      if (nl > at) out.push(data.subarray(at, nl));
      at = nl + 1;
    }
  }
  return out;
}

/** Bytes a text log may carry that are not text: NUL, BEL, backspace, SUB. */
const STRAY_CONTROLS = [0x00, 0x07, 0x08, 0x1a];

/**
 * Loghub lines made harder: a Latin-1 phrase (as a Windows or legacy Java log writes it) and one
 * stray control byte in each.
 */
export function latin1LinesWithControls(lines: readonly Buffer[]): Buffer[] {
  const phrase = Buffer.from(' Größe überschritten, café fermé: ', 'latin1');
  return lines.map((line, i) => {
    const at = Math.floor(line.length / 2);
    return Buffer.concat([line.subarray(0, at), phrase, Buffer.from([STRAY_CONTROLS[i % STRAY_CONTROLS.length] as number]), line.subarray(at)]);
  });
}

/** Lines of Cyrillic text in windows-1251: nearly every letter is a byte that is not UTF-8. */
export function cp1251Lines(count: number): Buffer[] {
  // А..я are 0xC0..0xFF in windows-1251.
  const word = (i: number) => Buffer.from(Array.from({ length: 3 + (i % 8) }, (_, k) => 0xc0 + ((i * 7 + k * 13) % 64)));
  return Array.from({ length: count }, (_, i) =>
    Buffer.concat([Buffer.from(`2024-03-0${1 + (i % 9)} 12:00:${String(i % 60).padStart(2, '0')} ERROR `), ...Array.from({ length: 6 }, (_, w) => Buffer.concat([word(i + w), Buffer.from(' ')]))]),
  );
}

/** The texts of every rule's match and no-match examples. */
export async function ruleExamples(rulesDir = 'rules'): Promise<Buffer[]> {
  const { rules } = await loadRules([rulesDir]);
  const out: Buffer[] = [];
  for (const r of rules) {
    for (const e of [...(r.examples?.match ?? []), ...(r.examples?.no_match ?? [])]) out.push(Buffer.from(e.text));
  }
  return out;
}

export function randomRecords(count: number, sizes: readonly number[]): Buffer[] {
  return Array.from({ length: count }, (_, i) => randomBytes(sizes[i % sizes.length] as number));
}

type Compress = (b: Buffer) => Buffer;

/** zstd through zlib where the runtime has it (Node 22.15+), else the zstd CLI, else none. */
export function zstdCompressor(): Compress | undefined {
  const native = (zlib as unknown as { zstdCompressSync?: Compress }).zstdCompressSync;
  if (native !== undefined) return (b) => native(b);
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return (b) => execFileSync('zstd', ['-q', '-c'], { input: b, maxBuffer: 1 << 26 });
}

/** Chunks of loghub text, each compressed: with and without their header (magic number). */
export function compressedRecords(lines: readonly Buffer[], count: number): { name: string; records: Buffer[] }[] {
  const chunks = Array.from({ length: count }, (_, i) => Buffer.concat(lines.slice(i * 40, i * 40 + 40 + (i % 7) * 30)));
  const codecs: [string, Compress | undefined][] = [
    ['gzip', (b) => zlib.gzipSync(b)],
    ['raw deflate (no header)', (b) => zlib.deflateRawSync(b)],
    ['brotli (no header)', (b) => zlib.brotliCompressSync(b)],
    ['zstd', zstdCompressor()],
  ];
  const out: { name: string; records: Buffer[] }[] = [];
  for (const [name, compress] of codecs) {
    if (compress === undefined) continue;
    const records = chunks.map(compress);
    out.push({ name, records });
    // Without the first 16 bytes: the magic number cannot be what decides.
    if (name === 'gzip' || name === 'zstd') out.push({ name: `${name}, header cut off`, records: records.map((r) => r.subarray(16)) });
  }
  return out;
}

const IMAGES = ['/usr/share/doc/python3-pip/html/topics/deps.png', '/usr/share/doc/nodejs/full-white-stripe.jpg', '/usr/share/doc/nodejs/thin-white-stripe.jpg'];

/** Images found on this machine, whole and as 4 KB slices from inside the file (no magic). */
export function imageRecords(): Buffer[] {
  const out: Buffer[] = [];
  for (const path of IMAGES.filter((p) => existsSync(p))) {
    const data = readFileSync(path);
    out.push(data);
    for (let at = 1024; at + 4096 <= data.length; at += 4096) out.push(data.subarray(at, at + 4096));
  }
  return out;
}
