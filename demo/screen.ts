/**
 * The demo's output. On a TTY: one block (counts, latest tagged events, alert state, latest
 * notifications) redrawn in place. Otherwise (piped, CI logs): every new line appended once.
 */
export class Screen {
  private drawn = 0;
  readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = out.isTTY === true;
  }

  /** A line that stays (start-up, stopping): printed above the block. */
  say(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  /** TTY only: replaces the block with these lines, each cut to the terminal's width. */
  draw(lines: readonly string[]): void {
    if (!this.tty) return;
    const width = Math.max(20, (this.out.columns ?? 120) - 1);
    this.clear();
    // A block taller than the terminal scrolls, and the cursor cannot move back over what left
    // the screen: keep it one line short of the height.
    const rows = Math.max(3, (this.out.rows ?? 1000) - 1);
    const fitted = lines.length > rows ? [...lines.slice(0, rows - 1), `… ${lines.length - rows + 1} more lines (a taller terminal shows them)`] : lines;
    const cut = fitted.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
    this.out.write(cut.map((l) => `${l}\n`).join(''));
    this.drawn = cut.length;
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }
}
