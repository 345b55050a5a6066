/**
 * The bench corpus: records of ~556 bytes made of consecutive real log lines from loghub (as a
 * multi-line record would arrive), ~1% of them carrying a real signature of a bank rule. Without
 * ../shared the background is generated log lines.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pickOne, seededRandom } from './random.js';

export const LOGHUB_DIR = fileURLToPath(new URL('../../shared/data/loghub', import.meta.url));

export interface Background {
  /** Per source file, its lines in order. */
  files: string[][];
  origin: string;
}

export function loadBackground(): Background {
  if (existsSync(LOGHUB_DIR) && process.env.BENCH_GENERATED !== '1') {
    const names = readdirSync(LOGHUB_DIR).filter((f) => f.endsWith('.log')).sort();
    return {
      files: names.map((f) => readFileSync(`${LOGHUB_DIR}/${f}`, 'utf8').split('\n').filter((l) => l.length > 0)),
      origin: `loghub (${names.length} files in ${LOGHUB_DIR})`,
    };
  }
  const why = process.env.BENCH_GENERATED === '1' ? 'BENCH_GENERATED=1' : `${LOGHUB_DIR} not found`;
  return { files: [generatedLines(4000, 3)], origin: `generated log lines (${why})` };
}

function generatedLines(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
  const parts = (
    'request served in ms user session opened closed for block replica sent bytes to host worker ' +
    'heartbeat ok scheduled task queue depth cache hit miss'
  ).split(' ');
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 6 + Math.floor(random() * 14) }, () => pickOne(parts, random)).join(' ');
    const n = Math.floor(random() * 100000);
    const time = `2024-05-0${1 + (i % 9)} 12:${String(i % 60).padStart(2, '0')}:07,${n % 1000}`;
    return `${time} ${pickOne(levels, random)} [svc-${n % 17}] ${words} id=${n}`;
  });
}

export interface CorpusOptions {
  count: number;
  targetBytes: number;
  signatureShare: number;
  seed: number;
}

/**
 * Records of consecutive background lines, about `targetBytes` long; a share of them gets a
 * signature (one of `signatures`) in place of one line.
 */
export function buildRecords(background: Background, signatures: readonly string[], opts: CorpusOptions): string[] {
  const random = seededRandom(opts.seed);
  const records: string[] = [];
  for (let r = 0; r < opts.count; r++) {
    const file = pickOne(background.files, random);
    let at = Math.floor(random() * file.length);
    const lines: string[] = [];
    let bytes = 0;
    while (bytes < opts.targetBytes - 60) {
      const line = file[at % file.length] as string;
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
      at++;
    }
    if (signatures.length > 0 && random() < opts.signatureShare) {
      lines[Math.floor(random() * lines.length)] = pickOne(signatures, random);
    }
    // Round-trip through a Buffer: records arrive from Kafka as flat strings, not ropes.
    records.push(Buffer.from(lines.join('\n'), 'utf8').toString('utf8'));
  }
  return records;
}

/**
 * The background without the lines some rule matches, so that only injected signatures match
 * (the deadends regexes are broad: as loaded, case-insensitive, they match many loghub lines).
 */
export function withoutMatches(
  background: Background,
  matches: (line: string) => boolean,
): { background: Background; dropped: number } {
  let dropped = 0;
  const files = background.files.map((lines) =>
    lines.filter((line) => {
      const hit = matches(line);
      if (hit) dropped++;
      return !hit;
    }),
  );
  return { background: { files: files.filter((f) => f.length > 0), origin: background.origin }, dropped };
}
