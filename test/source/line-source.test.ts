import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LineSource, STDIN_PATH } from '../../src/source/line-source.js';
import type { SourceLine } from '../../src/source/split-lines.js';
import { LOGHUB_MISSING_REASON, loghubFiles } from '../decode/support/loghub.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(src: AsyncIterable<SourceLine>): Promise<SourceLine[]> {
  const out: SourceLine[] = [];
  for await (const l of src) out.push(l);
  return out;
}

describe('LineSource: files', () => {
  it('reads lines with numbers, size and bytes read', async () => {
    const file = join(dir, 'app.log');
    writeFileSync(file, 'first\r\nsecond\nthird');
    const src = await LineSource.open(file, { maxLineBytes: 1024 });
    expect(src.size).toBe(19);
    expect(src.bytesRead).toBe(0);
    const lines = await collect(src);
    expect(lines.map((l) => [l.no, l.text.toString()])).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 'third'],
    ]);
    expect(src.bytesRead).toBe(19);
    expect(src.linesRead).toBe(3);
  });

  it('yields batches per chunk, and reports progress as it goes', async () => {
    const file = join(dir, 'many.log');
    const body = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    writeFileSync(file, body);
    const src = await LineSource.open(file, { maxLineBytes: 1024, chunkBytes: 4096 });
    const progress: number[] = [];
    let count = 0;
    for await (const batch of src.batches()) {
      count += batch.length;
      progress.push(src.bytesRead);
    }
    expect(count).toBe(5000);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(Buffer.byteLength(body));
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('can be read only once', async () => {
    const file = join(dir, 'once.log');
    writeFileSync(file, 'a\n');
    const src = await LineSource.open(file, { maxLineBytes: 10 });
    await collect(src);
    await expect(collect(src)).rejects.toThrow(/only once/);
  });

  it('rejects a missing file and a directory at open', async () => {
    await expect(LineSource.open(join(dir, 'nope.log'), { maxLineBytes: 10 })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(LineSource.open(dir, { maxLineBytes: 10 })).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('stops reading when the consumer breaks out early', async () => {
    const file = join(dir, 'big.log');
    writeFileSync(file, 'x\n'.repeat(500_000));
    const src = await LineSource.open(file, { maxLineBytes: 10, chunkBytes: 4096 });
    for await (const l of src) if (l.no === 10) break;
    expect(src.bytesRead).toBeLessThan(1_000_000);
  });

  const files = loghubFiles();
  it.skipIf(files.length === 0)('reads real loghub files byte for byte', async () => {
    for (const file of files) {
      const src = await LineSource.open(file, { maxLineBytes: 1 << 20, chunkBytes: 8192 });
      const lines = await collect(src);
      const expected = readFileSync(file).toString('latin1').split('\n');
      if (expected.at(-1) === '') expected.pop();
      expect(lines.map((l) => l.text.toString('latin1')), basename(file)).toEqual(expected.map((l) => l.replace(/\r$/, '')));
      expect(src.bytesRead).toBe(src.size);
    }
  });
  if (files.length === 0) it.skip(LOGHUB_MISSING_REASON, () => undefined);
});

describe('LineSource: stdin and streams', () => {
  it('reads `-` from the given stdin stream; size unknown', async () => {
    const stdin = new PassThrough();
    const src = await LineSource.open(STDIN_PATH, { maxLineBytes: 100, stdin });
    expect(src.name).toBe('-');
    expect(src.size).toBeUndefined();
    const done = collect(src);
    stdin.write('one\ntw');
    stdin.write('o\nthree');
    stdin.end();
    const lines = await done;
    expect(lines.map((l) => l.text.toString())).toEqual(['one', 'two', 'three']);
    expect(src.bytesRead).toBe(13);
  });

  it('accepts string chunks from a stream in text mode', async () => {
    const src = LineSource.fromStream(Readable.from(['a\nb', '\nc']), 'strings', { maxLineBytes: 10 });
    expect((await collect(src)).map((l) => l.text.toString())).toEqual(['a', 'b', 'c']);
  });

  it('surfaces a stream error to the consumer', async () => {
    const stream = new PassThrough();
    const src = LineSource.fromStream(stream, 'broken', { maxLineBytes: 10 });
    const done = collect(src);
    stream.write('a\n');
    stream.destroy(new Error('disk on fire'));
    await expect(done).rejects.toThrow('disk on fire');
  });
});
