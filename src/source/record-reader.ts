/**
 * The records `scan` decodes: lines of a file or stdin, joined into multi-line records (stack
 * traces) unless joining is off, one array per chunk read.
 *
 * Sizes are wired so that the decoder sees every oversized record as oversized: lines are read
 * up to maxRecordBytes + 1 bytes (a longer line arrives with one byte too many, and decodeRecord
 * flags it too-large and cuts it on a UTF-8 boundary), and joined records stop growing at
 * maxRecordBytes (the rest continues in a new record, `truncated` set on the first).
 */

import type { Readable } from 'node:stream';
import { classifyLine } from '../decode/line-kind.js';
import { LineJoiner, type JoinedRecord } from '../decode/multiline.js';
import { LineSource } from './line-source.js';

export interface RecordReaderOptions {
  maxRecordBytes: number;
  /** Lines per joined record. Default 1000. */
  maxLines?: number;
  /** Join stack traces to the line they belong to. Default true. */
  multiline?: boolean;
  chunkBytes?: number;
  stdin?: Readable;
}

export type FileRecord = JoinedRecord<Buffer>;

export class RecordReader {
  private constructor(
    /** The underlying lines: name, size and bytesRead for the summary and the progress bar. */
    readonly source: LineSource,
    private readonly opts: RecordReaderOptions,
  ) {}

  /** Opens a file, or stdin for `-`. Rejects at once for a missing file or a directory. */
  static async open(path: string, opts: RecordReaderOptions): Promise<RecordReader> {
    const source = await LineSource.open(path, {
      maxLineBytes: opts.maxRecordBytes + 1,
      chunkBytes: opts.chunkBytes,
      stdin: opts.stdin,
    });
    return new RecordReader(source, opts);
  }

  static fromStream(stream: Readable, name: string, opts: RecordReaderOptions, size?: number): RecordReader {
    return new RecordReader(LineSource.fromStream(stream, name, { maxLineBytes: opts.maxRecordBytes + 1 }, size), opts);
  }

  /** Records in input order, one array per chunk read (blank lines between records are skipped). */
  async *batches(): AsyncGenerator<FileRecord[], void, undefined> {
    if (this.opts.multiline === false) {
      yield* this.lineBatches();
      return;
    }
    const joiner = new LineJoiner<Buffer>({ maxLines: this.opts.maxLines, maxBytes: this.opts.maxRecordBytes });
    for await (const lines of this.source.batches()) {
      const out: FileRecord[] = [];
      for (const l of lines) {
        const record = joiner.push(l.text, l.no);
        if (record !== undefined) out.push(record);
      }
      if (out.length > 0) yield out;
    }
    const last = joiner.flush();
    if (last !== undefined) yield [last];
  }

  /** Every non-blank line a record of its own. */
  private async *lineBatches(): AsyncGenerator<FileRecord[], void, undefined> {
    for await (const lines of this.source.batches()) {
      const out: FileRecord[] = [];
      for (const l of lines) if (classifyLine(l.text) !== 'blank') out.push({ text: l.text, line: l.no, lines: 1, truncated: false });
      if (out.length > 0) yield out;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<FileRecord, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }
}
