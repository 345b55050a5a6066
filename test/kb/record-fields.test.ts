import { describe, expect, it } from 'vitest';
import { bestWorkaround, misspelledSignals, normaliseExamples, signalsOf } from '../../src/kb/record-fields.js';

describe('signalsOf', () => {
  it('keeps only signal tags, in vocabulary order, once', () => {
    expect(signalsOf(['db', 'thread-starvation', 'socket-exhaustion', 'thread-starvation'])).toEqual([
      'socket-exhaustion',
      'thread-starvation',
    ]);
    expect(signalsOf(['Socket-Exhaustion'])).toEqual([]);
  });
});

describe('misspelledSignals', () => {
  it('finds tags that are a signal in another spelling', () => {
    expect(misspelledSignals(['socket_exhaustion', 'Pool Starvation', 'thread-starvation', 'pool'])).toEqual([
      { tag: 'socket_exhaustion', signal: 'socket-exhaustion' },
      { tag: 'Pool Starvation', signal: 'pool-starvation' },
    ]);
  });
});

describe('bestWorkaround', () => {
  it('takes the highest success_rate, the first on ties', () => {
    expect(
      bestWorkaround([
        { action: 'a', success_rate: 0.5 },
        { action: 'b', success_rate: 0.8, how: 'like this', condition: 'dropped' },
        { action: 'c', success_rate: 0.8 },
      ]),
    ).toEqual({ action: 'b', success_rate: 0.8, how: 'like this' });
  });

  it('prefers a rated workaround to unrated ones, and takes the first of unrated ones', () => {
    expect(bestWorkaround([{ action: 'a' }, { action: 'b', success_rate: 0 }])).toEqual({ action: 'b', success_rate: 0 });
    expect(bestWorkaround([{ action: 'a' }, { action: 'b' }])).toEqual({ action: 'a' });
  });

  it('returns nothing for no usable workaround', () => {
    expect(bestWorkaround(undefined)).toBeUndefined();
    expect(bestWorkaround([])).toBeUndefined();
    expect(bestWorkaround([{ how: 'no action' }, 'text'])).toBeUndefined();
  });
});

describe('normaliseExamples', () => {
  it('turns strings into {text} and keeps text, source and note of objects', () => {
    expect(
      normaliseExamples({
        match: ['a', { text: 'b', source: 'https://x.test/1', note: 'n', extra: 1 }],
        no_match: [{ text: 'c' }],
      }),
    ).toEqual({ match: [{ text: 'a' }, { text: 'b', source: 'https://x.test/1', note: 'n' }], no_match: [{ text: 'c' }] });
  });

  it('gives empty lists for a missing side, and nothing for no examples', () => {
    expect(normaliseExamples({ match: ['a'] })).toEqual({ match: [{ text: 'a' }], no_match: [] });
    expect(normaliseExamples(undefined)).toBeUndefined();
  });
});
