import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/decode/decode-record.js';
import { RecordReader, type FileRecord } from '../../src/source/record-reader.js';
import * as T from '../decode/fixtures/stack-traces.js';
import { LOGHUB_MISSING_REASON, loghubFiles } from '../decode/support/loghub.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(reader: RecordReader): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for await (const r of reader) out.push(r);
  return out;
}

const AFTER = '2024-03-01 10:15:40,000 INFO [main] c.e.App - next request';

describe('RecordReader', () => {
  it('joins stack traces into records with their first line number', async () => {
    const file = join(dir, 'mixed.log');
    writeFileSync(file, `${T.JAVA}\r\n${AFTER}\n\n{"msg":"json line"}\n${T.PYTHON}\n`);
    const reader = await RecordReader.open(file, { maxRecordBytes: 1 << 20 });
    const records = await collect(reader);
    expect(records.map((r) => [r.line, r.lines])).toEqual([
      [1, T.JAVA.split('\n').length],
      [1 + T.JAVA.split('\n').length, 1],
      [3 + T.JAVA.split('\n').length, 1],
      [4 + T.JAVA.split('\n').length, T.PYTHON.split('\n').length],
    ]);
    expect(records.map((r) => r.text.toString())).toEqual([T.JAVA, AFTER, '{"msg":"json line"}', T.PYTHON]);
    expect(reader.source.bytesRead).toBe(reader.source.size);
  });

  it('with multiline off, every non-blank line is a record', async () => {
    const reader = RecordReader.fromStream(new PassThrough().end(`${T.NODE}\n\nlast`), 'stdin', { maxRecordBytes: 1024, multiline: false });
    const records = await collect(reader);
    expect(records.map((r) => r.text.toString())).toEqual([...T.NODE.split('\n'), 'last']);
    expect(records.at(-1)).toMatchObject({ line: T.NODE.split('\n').length + 2, lines: 1, truncated: false });
  });

  it('an over-long line reaches the decoder one byte over the limit, so it is flagged too-large', async () => {
    const file = join(dir, 'long.log');
    writeFileSync(file, `short\n${'€'.repeat(100)}\nshort again\n`);
    const reader = await RecordReader.open(file, { maxRecordBytes: 50 });
    const records = await collect(reader);
    expect(records).toHaveLength(3);
    const decoded = records.map((r) => decodeRecord(r.text, { maxRecordBytes: 50 }));
    expect(decoded.map((d) => d.issues)).toEqual([[], ['too-large'], []]);
    expect(decoded[1]?.text).toBe('€'.repeat(16));
  });

  it('a joined record stops at maxRecordBytes and continues in the next', async () => {
    const frames = Array.from({ length: 20 }, (_, i) => `\tat com.example.Frame.method${i}(Frame.java:${i})`);
    const file = join(dir, 'trace.log');
    writeFileSync(file, ['java.lang.IllegalStateException: pool exhausted', ...frames].join('\n'));
    const records = await collect(await RecordReader.open(file, { maxRecordBytes: 300 }));
    expect(records.length).toBeGreaterThan(1);
    for (const r of records) expect(r.text.length).toBeLessThanOrEqual(300);
    expect(records.slice(0, -1).every((r) => r.truncated)).toBe(true);
    expect(records.map((r) => r.text.toString()).join('\n')).toBe(['java.lang.IllegalStateException: pool exhausted', ...frames].join('\n'));
  });

  const files = loghubFiles();
  it.skipIf(files.length === 0)('loghub files: one record per line, bytes fully read', async () => {
    for (const file of files) {
      const reader = await RecordReader.open(file, { maxRecordBytes: 1 << 20, chunkBytes: 16 * 1024 });
      const records = await collect(reader);
      const lines = readFileSync(file, 'latin1').split('\n').filter((l) => l.trim() !== '');
      expect(records.length, basename(file)).toBe(lines.length);
      expect(reader.source.bytesRead, basename(file)).toBe(reader.source.size);
    }
  });
  if (files.length === 0) it.skip(LOGHUB_MISSING_REASON, () => undefined);
});
