import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { DeferredCounter } from '../../src/metrics/deferred-counter.js';
import { parseExposition, seriesOf } from './exposition.js';

function setup() {
  const registry = new Registry();
  const counter = new DeferredCounter({ name: 'x_total', help: 'x', labelNames: ['a', 'b'] as const, registry });
  const scrape = async () => seriesOf(parseExposition(await registry.metrics()), 'x_total');
  return { counter, scrape };
}

describe('DeferredCounter', () => {
  it('shows a new series at 0 once, then its held count, then counts directly', async () => {
    const { counter, scrape } = setup();
    counter.inc({ a: '1', b: '2' }, 5);
    counter.inc({ a: '1', b: '2' });
    expect(await scrape()).toEqual({ 'a=1,b=2': 0 });
    // Already exported at 0: counted at once, the held 6 come with the next scrape.
    counter.inc({ a: '1', b: '2' }, 2);
    expect(await scrape()).toEqual({ 'a=1,b=2': 8 });
    counter.inc({ a: '1', b: '2' });
    expect(await scrape()).toEqual({ 'a=1,b=2': 9 });
  });

  it('touch creates a series at 0 whose first increments are still deferred', async () => {
    const { counter, scrape } = setup();
    counter.touch({ a: 'x', b: 'y' });
    counter.inc({ a: 'x', b: 'y' }, 3);
    expect(await scrape()).toEqual({ 'a=x,b=y': 0 });
    expect(await scrape()).toEqual({ 'a=x,b=y': 3 });
  });

  it('removes series by predicate, held increments included', async () => {
    const { counter, scrape } = setup();
    counter.inc({ a: 'keep', b: '1' });
    counter.inc({ a: 'drop', b: '1' });
    counter.inc({ a: 'drop', b: '2' }, 4);
    await scrape();
    counter.removeWhere((l) => l.a === 'drop');
    expect(await scrape()).toEqual({ 'a=keep,b=1': 1 });
    expect(counter.has({ a: 'drop', b: '2' })).toBe(false);
    // A removed series that comes back starts over at 0.
    counter.inc({ a: 'drop', b: '2' });
    expect(await scrape()).toEqual({ 'a=keep,b=1': 1, 'a=drop,b=2': 0 });
  });
});
