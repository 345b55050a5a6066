import { Counter, type Registry } from 'prom-client';

/**
 * A labelled counter whose new series are first exported at 0 and only then incremented.
 *
 * Why: Prometheus' rate()/increase() need two samples of a series. A series that is first
 * scraped at 5 has no earlier sample, so its first 5 events never show up in any rate, and an
 * alert on "pool starvation spiking for service X" misses the burst that created the series
 * (which, after every worker restart, is every burst). Here a new series is created at 0,
 * increments are held until a scrape has seen it at 0, and the next scrape applies them: no
 * event is lost to rate(), at the price of showing a brand-new series' first events one scrape
 * late. Once a series has been scraped, increments go straight to the counter.
 *
 * With several Prometheus servers scraping the same worker (an HA pair) the 0 may have been
 * seen by only one of them; the other then sees the series start at its first value, as with a
 * plain counter. Held increments live in memory only until the next scrape and are bounded by the
 * number of series (whose label values the caller bounds).
 */

export type Labels<L extends string> = Record<L, string>;

interface Pending {
  labels: Record<string, string>;
  held: number;
  /** A scrape has exported this series at 0 (held increments are applied at the next one). */
  shown: boolean;
}

export class DeferredCounter<L extends string> {
  readonly counter: Counter<L>;
  private readonly labelNames: readonly L[];
  /** Every series that exists, by key: the caller can remove them by a label predicate. */
  private readonly series = new Map<string, Record<string, string>>();
  private readonly pending = new Map<string, Pending>();

  constructor(options: { name: string; help: string; labelNames: readonly L[]; registry: Registry }) {
    this.labelNames = options.labelNames;
    const flush = () => this.flush();
    this.counter = new Counter<L>({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames,
      registers: [options.registry],
      // prom-client calls collect at the start of every export, before reading values.
      collect: flush,
    });
  }

  private key(labels: Labels<L>): string {
    // \u0000 cannot occur in label values we produce (they are sanitised), so keys are unique.
    return this.labelNames.map((n) => labels[n]).join('\u0000');
  }

  /** Makes the series exist (at 0 if new) without counting anything. */
  touch(labels: Labels<L>): void {
    this.inc(labels, 0);
  }

  inc(labels: Labels<L>, value = 1): void {
    const key = this.key(labels);
    if (!this.series.has(key)) {
      const copy: Record<string, string> = { ...labels };
      this.series.set(key, copy);
      this.counter.inc(labels, 0);
      this.pending.set(key, { labels: copy, held: value, shown: false });
      return;
    }
    const p = this.pending.get(key);
    if (p !== undefined && !p.shown) {
      p.held += value;
      return;
    }
    if (value > 0) this.counter.inc(labels, value);
  }

  /** Removes every series whose labels satisfy the predicate (e.g. all series of a removed rule). */
  removeWhere(predicate: (labels: Readonly<Record<string, string>>) => boolean): void {
    for (const [key, labels] of this.series) {
      if (!predicate(labels)) continue;
      this.series.delete(key);
      this.pending.delete(key);
      this.counter.remove(labels as Labels<L>);
    }
  }

  has(labels: Labels<L>): boolean {
    return this.series.has(this.key(labels));
  }

  private flush(): void {
    for (const [key, p] of this.pending) {
      if (p.shown) {
        if (p.held > 0) this.counter.inc(p.labels as Labels<L>, p.held);
        this.pending.delete(key);
      } else {
        p.shown = true;
      }
    }
  }
}
