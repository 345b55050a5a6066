import { describe, expect, it } from 'vitest';
import { abortableSleep, Backoff } from '../../src/kafka/backoff.js';

describe('Backoff', () => {
  it('doubles up to the maximum and starts over after reset', () => {
    const b = new Backoff(100, 1000, () => 0.5);
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitters within ±20 %', () => {
    expect(new Backoff(1000, 1000, () => 0).next()).toBe(800);
    expect(new Backoff(1000, 1000, () => 1).next()).toBe(1200);
  });
});

describe('abortableSleep', () => {
  it('ends at once when aborted', async () => {
    const ac = new AbortController();
    const sleeping = abortableSleep(60_000, ac.signal);
    ac.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
