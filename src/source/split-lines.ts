/**
 * Splits a byte stream on \n without decoding it, so that invalid UTF-8 reaches the decoder
 * intact (to be flagged there) and a line costs no copy unless it spans two chunks. Lines over
 * the limit are cut on a UTF-8 boundary and flagged; their excess bytes are skipped, never held.
 */

import { utf8Boundary } from '../decode/bytes.js';

export interface SourceLine {
  /**
   * The line without \n or \r\n. Usually a view into the chunk read: it stays valid (streams
   * never reuse a chunk), but keeps the whole chunk alive while it is held.
   */
  text: Buffer;
  /** 1-based line number. */
  no: number;
  /** The line was longer than the limit and was cut. */
  truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Start of the current line, when it began in an earlier chunk; at most maxLineBytes bytes. */
  private carry: Buffer[] = [];
  private carryLength = 0;
  private carryOverflow = false;
  private nextNo = 1;

  constructor(maxLineBytes: number) {
    if (!Number.isFinite(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be positive, got ${maxLineBytes}`);
    this.maxLineBytes = Math.floor(maxLineBytes);
  }

  /** Lines seen so far (the number the next line will get, minus one). */
  get lines(): number {
    return this.nextNo - 1;
  }

  /** Appends the lines completed by `chunk` to `out`. */
  push(chunk: Buffer, out: SourceLine[]): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) {
        if (pos < chunk.length) this.hold(chunk.subarray(pos));
        return;
      }
      const piece = chunk.subarray(pos, nl);
      if (this.carryLength === 0 && !this.carryOverflow) this.emit(piece, false, out);
      else {
        this.hold(piece);
        this.emitCarry(out);
      }
      pos = nl + 1;
    }
  }

  /** Appends the last line, when the input did not end with a newline. */
  end(out: SourceLine[]): void {
    if (this.carryLength > 0 || this.carryOverflow) this.emitCarry(out);
  }

  private hold(piece: Buffer): void {
    const room = this.maxLineBytes - this.carryLength;
    if (piece.length > room) this.carryOverflow = true;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    if (kept.length > 0) {
      this.carry.push(kept);
      this.carryLength += kept.length;
    }
  }

  private emitCarry(out: SourceLine[]): void {
    const line = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry, this.carryLength);
    const overflow = this.carryOverflow;
    this.carry = [];
    this.carryLength = 0;
    this.carryOverflow = false;
    this.emit(line, overflow, out);
  }

  private emit(line: Buffer, overflow: boolean, out: SourceLine[]): void {
    let text = line;
    let truncated = overflow;
    if (text.length > this.maxLineBytes) {
      text = text.subarray(0, this.maxLineBytes);
      truncated = true;
    }
    if (truncated) text = text.subarray(0, utf8Boundary(text, text.length));
    else if (text.length > 0 && text[text.length - 1] === CR) text = text.subarray(0, text.length - 1);
    out.push({ text, no: this.nextNo++, truncated });
  }
}
