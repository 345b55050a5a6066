import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ScanProgress } from '../../src/cli/scan-progress.js';

/** A terminal-like stderr that keeps what was written. */
function tty(): PassThrough & { isTTY: boolean; text: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return Object.assign(out, { text: () => Buffer.concat(chunks).toString('utf8') });
}

describe('scan progress bar', () => {
  it('draws none for small inputs, pipes or when not wanted', () => {
    expect(ScanProgress.maybe(true, tty(), 'f', 1024)).toBeUndefined();
    expect(ScanProgress.maybe(false, tty(), 'f', 1e9)).toBeUndefined();
    expect(ScanProgress.maybe(true, new PassThrough(), 'f', 1e9)).toBeUndefined();
  });

  it('draws one for a large input on a terminal (cli-progress loaded on demand)', () => {
    const err = tty();
    const bar = ScanProgress.maybe(true, err, 'big.log', 200e6);
    expect(bar).toBeDefined();
    bar?.update(100e6);
    bar?.stop();
    expect(err.text()).toContain('big.log');
  });
});
