import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

/**
 * cli-progress (and string-width, emoji-regex … behind it) is loaded only when a bar is drawn:
 * importing it was ~18 ms of CPU of every scan start, most of which draw none.
 */
const require = createRequire(import.meta.url);

/** Inputs smaller than this finish before a bar is worth drawing. */
const MIN_BYTES = 16 * 1024 * 1024;

/** A progress bar on stderr, only for a terminal and a large input of known size. */
export class ScanProgress {
  private constructor(private readonly bar: CliProgress.SingleBar) {}

  static maybe(
    wanted: boolean,
    stderr: NodeJS.WritableStream & { isTTY?: boolean },
    name: string,
    size: number | undefined,
  ): ScanProgress | undefined {
    if (!wanted || stderr.isTTY !== true || size === undefined || size < MIN_BYTES) return undefined;
    const cliProgress = require('cli-progress') as typeof CliProgress;
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr,
        format: `${name} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.ceil(size / 1e6), 0);
    return new ScanProgress(bar);
  }

  update(bytes: number): void {
    this.bar.update(Math.floor(bytes / 1e6));
  }

  stop(): void {
    this.bar.stop();
  }
}
