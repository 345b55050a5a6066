import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type SourceLine } from '../../src/source/split-lines.js';

/** Splits `input` fed in chunks cut at `cuts`. */
function split(input: Buffer, max: number, cuts: number[] = []): SourceLine[] {
  const s = new LineSplitter(max);
  const out: SourceLine[] = [];
  let pos = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(Math.max(cut, pos), input.length);
    s.push(input.subarray(pos, at), out);
    pos = at;
  }
  s.push(input.subarray(pos), out);
  s.end(out);
  return out;
}

const strs = (lines: SourceLine[]) => lines.map((l) => l.text.toString('utf8'));

describe('LineSplitter', () => {
  it('splits on \\n and \\r\\n, numbers lines from 1', () => {
    const lines = split(Buffer.from('a\r\nb\nc\r\n'), 100);
    expect(strs(lines)).toEqual(['a', 'b', 'c']);
    expect(lines.map((l) => l.no)).toEqual([1, 2, 3]);
    expect(lines.every((l) => !l.truncated)).toBe(true);
  });

  it('emits a last line without a newline, and no phantom line after a final newline', () => {
    expect(strs(split(Buffer.from('a\nb'), 100))).toEqual(['a', 'b']);
    expect(strs(split(Buffer.from('a\n'), 100))).toEqual(['a']);
    expect(strs(split(Buffer.from(''), 100))).toEqual([]);
  });

  it('keeps empty lines (they count for line numbers)', () => {
    const lines = split(Buffer.from('a\n\n\nb\n'), 100);
    expect(strs(lines)).toEqual(['a', '', '', 'b']);
    expect(lines[3]?.no).toBe(4);
  });

  it('joins lines that span chunks', () => {
    expect(strs(split(Buffer.from('hello world\nsecond line\n'), 100, [3, 5, 14]))).toEqual(['hello world', 'second line']);
    // A \r\n split across chunks.
    expect(strs(split(Buffer.from('a\r\nb'), 100, [2]))).toEqual(['a', 'b']);
  });

  it('keeps invalid UTF-8 bytes as they are', () => {
    const input = Buffer.from([0x61, 0xff, 0xfe, 0x0a, 0xc3, 0x28]);
    const lines = split(input, 100, [1, 5]);
    expect(lines.map((l) => [...l.text])).toEqual([
      [0x61, 0xff, 0xfe],
      [0xc3, 0x28],
    ]);
  });

  it('truncates lines over the limit on a UTF-8 boundary and flags them', () => {
    const lines = split(Buffer.from(`${'é'.repeat(10)}\nshort\n`), 7);
    expect(lines[0]?.text.toString()).toBe('ééé');
    expect(lines[0]?.truncated).toBe(true);
    expect(lines[1]).toMatchObject({ no: 2, truncated: false });
    expect(lines[1]?.text.toString()).toBe('short');
  });

  it('truncates a long line that spans many chunks without holding its excess', () => {
    const long = Buffer.alloc(1_000_000, 0x78);
    const input = Buffer.concat([long, Buffer.from('\nnext')]);
    const cuts = Array.from({ length: 100 }, (_, i) => (i + 1) * 10_000);
    const lines = split(input, 1000, cuts);
    expect(lines.map((l) => [l.text.length, l.truncated])).toEqual([
      [1000, true],
      [4, false],
    ]);
  });

  it('a truncated last line without a newline is still emitted', () => {
    const lines = split(Buffer.from('abcdefghij'), 4, [2, 6]);
    expect(lines.map((l) => [l.text.toString(), l.truncated])).toEqual([['abcd', true]]);
  });

  it('counts lines', () => {
    const s = new LineSplitter(10);
    const out: SourceLine[] = [];
    s.push(Buffer.from('a\nb\nc'), out);
    expect(s.lines).toBe(2);
    s.end(out);
    expect(s.lines).toBe(3);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new LineSplitter(0)).toThrow(RangeError);
  });

  it('any chunking gives the same lines as splitting the whole input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x0a, 0x0d, 0x61, 0x62, 0xc3, 0xa9, 0xff), { maxLength: 200 }),
        fc.array(fc.nat(200), { maxLength: 10 }),
        (bytes, cuts) => {
          const input = Buffer.from(bytes);
          const whole = split(input, 1 << 20);
          const chunked = split(input, 1 << 20, cuts);
          expect(chunked.map((l) => l.text.toString('hex'))).toEqual(whole.map((l) => l.text.toString('hex')));
          // Reference: split on \n, drop one trailing \r per line, no phantom last line.
          const ref = input.toString('latin1').split('\n');
          if (ref.at(-1) === '') ref.pop();
          expect(whole.map((l) => l.text.toString('latin1'))).toEqual(ref.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
