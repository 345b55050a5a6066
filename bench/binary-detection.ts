/**
 * How binary detection classifies real text and real binary: the table in
 * docs/binary-detection.md. `npm run bench:binary`. Old: the control-byte share alone (> 1/8).
 */
import { looksBinary } from '../src/decode/bytes.js';
import { byteProfile, looksBinaryBytes } from '../src/decode/binary.js';
import { compressedRecords, cp1251Lines, imageRecords, latin1LinesWithControls, loghubLines, randomRecords, ruleExamples } from './binary-corpus.js';

function row(name: string, records: readonly Buffer[]): string {
  let oldBinary = 0;
  let newBinary = 0;
  let maxJunk = 0;
  let minJunk = 1;
  let maxInvalid = 0;
  for (const r of records) {
    if (looksBinary(r)) oldBinary++;
    if (looksBinaryBytes(r)) newBinary++;
    const p = byteProfile(r);
    if (p.sampled === 0) continue;
    maxJunk = Math.max(maxJunk, p.junk / p.sampled);
    minJunk = Math.min(minJunk, p.junk / p.sampled);
    maxInvalid = Math.max(maxInvalid, p.invalid / p.sampled);
  }
  const pct = (n: number) => `${((100 * n) / Math.max(1, records.length)).toFixed(1)}%`;
  const share = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `| ${name} | ${records.length} | ${pct(oldBinary)} | ${pct(newBinary)} | ${share(minJunk)}–${share(maxJunk)} | ${share(maxInvalid)} |`;
}

const lines = loghubLines();
console.log('| input | records | binary before | binary now | control bytes (min–max) | invalid UTF-8 (max) |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row('loghub lines (16 files)', lines));
console.log(row("rules' examples", await ruleExamples()));
console.log(row('loghub lines + Latin-1 phrase + 1 control byte', latin1LinesWithControls(lines)));
console.log(row('Cyrillic lines in windows-1251', cp1251Lines(2000)));
for (const size of [16, 64, 256, 4096, 65536]) console.log(row(`random bytes, ${size} B`, randomRecords(size >= 4096 ? 200 : 2000, [size])));
for (const { name, records } of compressedRecords(lines, 300)) console.log(row(`${name}, loghub text`, records));
console.log(row('images (PNG, JPEG; whole and 4 KiB slices)', imageRecords()));
