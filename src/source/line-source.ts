/**
 * Lines of a file or of stdin (`-`), as an async iterator, with the bytes read so far for the
 * summary and the progress bar. Lines are Buffers: decoding (and flagging invalid UTF-8) is the
 * decoder's job.
 */

import { fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LineSplitter, type SourceLine } from './split-lines.js';

export interface LineSourceOptions {
  /** Longer lines are cut to this many bytes (on a UTF-8 boundary) and flagged `truncated`. */
  maxLineBytes: number;
  /** Read size. Default 256 KiB. */
  chunkBytes?: number;
  /** Stream read for `-`. Default process.stdin. */
  stdin?: Readable;
}

export const STDIN_PATH = '-';
const DEFAULT_CHUNK_BYTES = 256 * 1024;

export class LineSource implements AsyncIterable<SourceLine> {
  private read = 0;
  private consumed = false;
  private readonly splitter: LineSplitter;

  private constructor(
    private readonly stream: Readable,
    /** The path as given, or `-` for stdin. */
    readonly name: string,
    /** Total bytes when known (a file, or stdin redirected from a file): the progress bar's 100%. */
    readonly size: number | undefined,
    maxLineBytes: number,
  ) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  /** Opens a file, or stdin for `-`. Rejects at once for a missing file or a directory. */
  static async open(path: string, opts: LineSourceOptions): Promise<LineSource> {
    const highWaterMark = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (path === STDIN_PATH) {
      const stdin = opts.stdin ?? process.stdin;
      return new LineSource(stdin, STDIN_PATH, opts.stdin === undefined ? stdinFileSize() : undefined, opts.maxLineBytes);
    }
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR', path });
      const stream = handle.createReadStream({ highWaterMark });
      return new LineSource(stream, path, stat.isFile() ? stat.size : undefined, opts.maxLineBytes);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Lines of any byte stream (tests, pipes the caller opened itself). */
  static fromStream(stream: Readable, name: string, opts: LineSourceOptions, size?: number): LineSource {
    return new LineSource(stream, name, size, opts.maxLineBytes);
  }

  /** Bytes read from the input so far. */
  get bytesRead(): number {
    return this.read;
  }

  /** Lines read so far. */
  get linesRead(): number {
    return this.splitter.lines;
  }

  /**
   * The lines, one array per chunk read: the cheap way to consume them (one await per chunk,
   * not per line). An array is never reused after it is yielded. Can be consumed once.
   */
  async *batches(): AsyncGenerator<SourceLine[], void, undefined> {
    if (this.consumed) throw new Error(`${this.name}: lines can be read only once`);
    this.consumed = true;
    for await (const chunk of this.stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
      this.read += buf.length;
      const out: SourceLine[] = [];
      this.splitter.push(buf, out);
      if (out.length > 0) yield out;
    }
    const last: SourceLine[] = [];
    this.splitter.end(last);
    if (last.length > 0) yield last;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SourceLine, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Stops reading (also done when a for-await loop over the source exits early). */
  close(): void {
    this.stream.destroy();
  }
}

/** The size of stdin when it is redirected from a regular file (`< app.log`), else undefined. */
function stdinFileSize(): number | undefined {
  try {
    const st = fstatSync(0);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}
