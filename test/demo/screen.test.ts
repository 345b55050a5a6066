import { describe, expect, it } from 'vitest';
import { Screen } from '../../demo/screen.js';

/** A stand-in for process.stdout that records what was written. */
function output(tty: boolean, columns = 40, rows = 50): NodeJS.WriteStream & { text: string } {
  const out = { text: '', isTTY: tty, columns, rows, write: (s: string) => ((out.text += s), true) };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

describe('demo screen', () => {
  it('on a TTY redraws its block in place: moves up over the lines it drew and clears them', () => {
    const out = output(true);
    const screen = new Screen(out);
    screen.draw(['a', 'b', 'c']);
    expect(out.text).toBe('a\nb\nc\n');
    out.text = '';
    screen.draw(['d']);
    expect(out.text).toBe('\x1b[3F\x1b[Jd\n');
    out.text = '';
    // A line that stays goes above the block: the block is cleared first, then redrawn by the next draw.
    screen.say('stopping');
    expect(out.text).toBe('\x1b[1F\x1b[Jstopping\n');
    out.text = '';
    screen.draw(['e']);
    expect(out.text).toBe('e\n');
  });

  it('cuts block lines to the terminal width', () => {
    const out = output(true, 21);
    new Screen(out).draw(['x'.repeat(50)]);
    expect(out.text).toBe(`${'x'.repeat(19)}…\n`);
  });

  it('keeps the block one line shorter than the terminal, saying how many lines it left out', () => {
    const out = output(true, 80, 6);
    new Screen(out).draw(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(out.text).toBe('1\n2\n3\n4\n… 4 more lines (a taller terminal shows them)\n');
  });

  it('off a TTY never redraws: only lines that stay are written, without escape codes', () => {
    const out = output(false);
    const screen = new Screen(out);
    screen.draw(['a', 'b']);
    screen.say('started');
    screen.draw(['c']);
    expect(out.text).toBe('started\n');
    expect(screen.tty).toBe(false);
  });
});
