import { describe, expect, it } from 'vitest';
import { RateLimitedLog, type RateLimitedEntry } from '../../src/worker/rate-limited-log.js';

function setup(windowMs = 10_000) {
  let now = 0;
  const lines: RateLimitedEntry<string>[] = [];
  const log = new RateLimitedLog<string>((e) => lines.push(e), windowMs, () => now);
  return { log, lines, advance: (ms: number) => (now += ms) };
}

describe('RateLimitedLog', () => {
  it('logs the first occurrence at once', () => {
    const { log, lines } = setup();
    log.note('binary', 'p0@1');
    expect(lines).toEqual([{ key: 'binary', count: 1, sample: 'p0@1' }]);
  });

  it('holds back repeats within the window and reports them with a count after it', () => {
    const { log, lines, advance } = setup();
    log.note('binary', 'a');
    for (let i = 0; i < 99; i++) log.note('binary', `b${i}`);
    expect(lines).toHaveLength(1);
    advance(10_000);
    log.note('binary', 'last');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ key: 'binary', count: 100, sample: 'last' });
  });

  it('keeps one window per key', () => {
    const { log, lines } = setup();
    log.note('binary', 'a');
    log.note('too-large', 'b');
    log.note('binary', 'c');
    expect(lines.map((l) => l.key)).toEqual(['binary', 'too-large']);
  });

  it('adds up counts given per call', () => {
    const { log, lines, advance } = setup();
    log.note('binary', 'a', 5);
    log.note('binary', 'b', 7);
    advance(10_000);
    log.flush();
    expect(lines.map((l) => l.count)).toEqual([5, 7]);
  });

  it('flush reports held-back counts only once their window passed, or all at shutdown', () => {
    const { log, lines, advance } = setup();
    log.note('binary', 'a');
    log.note('binary', 'b');
    log.flush();
    expect(lines).toHaveLength(1);
    advance(5_000);
    log.flush(true);
    expect(lines[1]).toEqual({ key: 'binary', count: 1, sample: 'b' });
    log.flush(true);
    expect(lines).toHaveLength(2);
  });

  it('never emits more than one line per key per window however many notes come', () => {
    const { log, lines, advance } = setup(1000);
    let total = 0;
    for (let step = 0; step < 50; step++) {
      for (let i = 0; i < 20; i++) {
        log.note('k', String(i));
        total++;
      }
      advance(100);
    }
    log.flush(true);
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(lines.reduce((n, l) => n + l.count, 0)).toBe(total);
  });
});
