/**
 * Writes one JSON value per line to a stream, batching small writes and honouring
 * backpressure. A closed reader (`scan … | head`) is not an error: `closed` turns true and
 * the caller stops reading input.
 */
const FLUSH_AT = 64 * 1024;

export class NdjsonWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private waiting: Promise<void> | undefined;
  closed = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw err;
    });
  }

  write(value: unknown): void {
    if (this.closed) return;
    this.writeJson(JSON.stringify(value));
  }

  /** One value already serialised (scan's tagged events are made by src/tag/event-json.ts). */
  writeJson(json: string): void {
    if (this.closed) return;
    const line = `${json}\n`;
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  }

  /** Resolves when the stream can take more (call between input chunks). */
  async drained(): Promise<void> {
    if (this.waiting) await this.waiting;
  }

  async end(): Promise<void> {
    this.flush();
    await this.drained();
  }

  private flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.stream.write(text) && !this.waiting) {
      this.waiting = new Promise<void>((resolve) => {
        const done = (): void => {
          this.waiting = undefined;
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
  }
}
