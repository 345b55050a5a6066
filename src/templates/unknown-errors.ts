/**
 * The table of unknown errors: templates of the records that no rule matched and that look like
 * errors or warnings, with what an operator needs to judge one (count, services, first and last
 * seen, one example and where it came from). Bounded: the miner keeps at most `maxTemplates`
 * templates and each keeps at most `maxServices` service names and one example of at most
 * `maxExampleChars` characters.
 */
import { TemplateMiner, templatePattern, type MinerOptions, type Template } from './miner.js';
import { severityOf, type Severity } from './level.js';

export interface UnknownErrorOptions extends Partial<Omit<MinerOptions, 'onEvict'>> {
  /** Service names kept per template. */
  maxServices?: number;
  maxExampleChars?: number;
  /**
   * The key records are counted under per service (`recordsByService`): the metrics layer passes
   * its bounded, sanitised label function so that counts and label values agree. Default: as is.
   */
  serviceKey?: (service: string | undefined) => string;
}

/** Where an example came from: a Kafka coordinate or a file line; kept as given. */
export type ExampleSource = Record<string, unknown>;

export interface UnknownTemplate {
  id: string;
  pattern: string;
  count: number;
  severity: Exclude<Severity, 'other'>;
  services: string[];
  /** Services beyond `maxServices` were seen too. */
  moreServices: boolean;
  firstSeen: string;
  lastSeen: string;
  example: { text: string; source: ExampleSource };
}

interface Entry {
  template: Template;
  severity: Exclude<Severity, 'other'>;
  services: Set<string>;
  moreServices: boolean;
  firstSeen: number;
  lastSeen: number;
  example: string;
  exampleSource: ExampleSource;
}

export interface ObservedRecord {
  /** The text that was matched (message, then exception and stack). */
  text: string;
  event: Record<string, unknown>;
  service?: string;
  /** Only called for the first record of a template: building a source may cost a Date. */
  source: () => ExampleSource;
}

export class UnknownErrors {
  private readonly miner: TemplateMiner;
  private readonly entries = new Map<string, Entry>();
  private readonly maxServices: number;
  private readonly maxExampleChars: number;
  private readonly serviceKey: (service: string | undefined) => string;
  private readonly perService = new Map<string, number>();
  /** Unmatched error/warn records seen, evicted templates included. */
  records = 0;

  constructor(opts: UnknownErrorOptions = {}) {
    this.miner = new TemplateMiner({ ...opts, onEvict: (t) => this.entries.delete(t.id) });
    this.maxServices = opts.maxServices ?? 10;
    this.maxExampleChars = opts.maxExampleChars ?? 1000;
    this.serviceKey = opts.serviceKey ?? ((s) => s ?? 'unknown');
  }

  /**
   * Adds an unmatched record; returns its severity (`other` records are not kept). `now` is
   * epoch milliseconds.
   */
  observe(rec: ObservedRecord, now: number): Severity {
    const severity = severityOf(rec.event, rec.text);
    if (severity === 'other') return severity;
    this.records++;
    const key = this.serviceKey(rec.service);
    this.perService.set(key, (this.perService.get(key) ?? 0) + 1);
    const template = this.miner.add(firstLine(rec.text));
    let e = this.entries.get(template.id);
    if (e === undefined) {
      e = {
        template,
        severity,
        services: new Set(),
        moreServices: false,
        firstSeen: now,
        lastSeen: now,
        example: rec.text.slice(0, this.maxExampleChars),
        exampleSource: rec.source(),
      };
      this.entries.set(template.id, e);
    }
    e.lastSeen = now;
    if (severity === 'error') e.severity = 'error';
    if (rec.service !== undefined && !e.services.has(rec.service)) {
      if (e.services.size < this.maxServices) e.services.add(rec.service);
      else e.moreServices = true;
    }
    return severity;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Unmatched error/warn records per service key, since start (monotonic). */
  recordsByService(): ReadonlyMap<string, number> {
    return this.perService;
  }

  get evictions(): number {
    return this.miner.evictions;
  }

  /** Live templates, most frequent first (ties: most recent first). */
  list(limit = Infinity): UnknownTemplate[] {
    return [...this.entries.values()]
      .sort((a, b) => b.template.count - a.template.count || b.lastSeen - a.lastSeen)
      .slice(0, limit)
      .map((e) => ({
        id: e.template.id,
        pattern: templatePattern(e.template.tokens),
        count: e.template.count,
        severity: e.severity,
        services: [...e.services].sort(),
        moreServices: e.moreServices,
        firstSeen: new Date(e.firstSeen).toISOString(),
        lastSeen: new Date(e.lastSeen).toISOString(),
        example: { text: e.example, source: e.exampleSource },
      }));
  }
}

/** Templates are mined from the first line: stack frames below it would split every template. */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}
