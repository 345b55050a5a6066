import type { Signal } from '../kb/types.js';
import { backgroundEvent } from './background.js';
import type { SignalLine } from './catalog.js';
import { Random } from './random.js';
import type { DemoService } from './services.js';
import { formatRecord, type LogEvent } from './shapes.js';

export interface ScheduleOptions {
  /** Ordinary lines per second, all services together. */
  rate: number;
  /** Share of ordinary lines replaced by a signal line: the chronic background of real systems. */
  trickle: number;
  /** An incident (a burst of one signal in one service) starts this often. */
  burstEveryMs: number;
  /** Lines per incident… */
  burstSize: number;
  /** …spread over this long, so that the rate stays bounded. */
  burstSpreadMs: number;
  /** The first incident comes this soon after the start, so that dashboards fill quickly. */
  firstBurstMs: number;
  seed: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = {
  rate: 20,
  trickle: 0.02,
  burstEveryMs: 15_000,
  burstSize: 30,
  burstSpreadMs: 3000,
  firstBurstMs: 3000,
  seed: 1,
};

export interface DemoRecord {
  key: string;
  value: string;
  headers: { service: string };
  /** What the line shows: nothing, or the signal of the rule example it is. */
  kind: 'background' | Signal;
  ruleId?: string;
}

interface Burst {
  lines: SignalLine[];
  startMs: number;
  sent: number;
}

/**
 * The demo's stream as a function of time: steady ordinary lines from every service, a trickle
 * of signal lines, and periodic incidents, one signal at a time in rotation. Pure: the clock is
 * passed in, so a seed gives the same stream in a test as in the producer.
 */
export class DemoSchedule {
  private readonly random: Random;
  private readonly signals: Signal[];
  private readonly trickleLines: SignalLine[];
  private backgroundSent = 0;
  private nextBurstMs: number;
  private burstCount = 0;
  private burst: Burst | undefined;

  constructor(
    private readonly catalog: ReadonlyMap<Signal, readonly SignalLine[]>,
    private readonly services: readonly DemoService[],
    private readonly options: ScheduleOptions,
    private readonly startMs: number,
  ) {
    if (services.length === 0) throw new Error('the demo needs at least one service');
    this.random = new Random(options.seed);
    this.signals = [...catalog.keys()];
    this.trickleLines = [...catalog.values()].flat();
    this.nextBurstMs = startMs + options.firstBurstMs;
  }

  /** The records due between the previous call and `nowMs`. */
  due(nowMs: number): DemoRecord[] {
    const out: DemoRecord[] = [];
    const time = new Date(nowMs);
    const wanted = Math.floor(((nowMs - this.startMs) / 1000) * this.options.rate);
    for (; this.backgroundSent < wanted; this.backgroundSent++) {
      if (this.trickleLines.length > 0 && this.random.chance(this.options.trickle)) {
        out.push(this.signalRecord(this.random.pick(this.trickleLines), time));
      } else {
        const service = this.random.pick(this.services);
        out.push(this.record(service, backgroundEvent(service, time, this.random), 'background', time));
      }
    }
    if (this.burst === undefined && nowMs >= this.nextBurstMs && this.signals.length > 0) {
      this.burst = this.startBurst(nowMs);
      this.nextBurstMs += this.options.burstEveryMs;
    }
    if (this.burst !== undefined) out.push(...this.burstRecords(this.burst, nowMs, time));
    return out;
  }

  private startBurst(nowMs: number): Burst {
    const signal = this.signals[this.burstCount++ % this.signals.length] as Signal;
    const lines = this.catalog.get(signal) ?? [];
    // One error in one service, as a real incident is: its count crosses the alert thresholds.
    const { service, ruleId } = this.random.pick(lines);
    return { lines: lines.filter((l) => l.service === service && l.ruleId === ruleId), startMs: nowMs, sent: 0 };
  }

  private burstRecords(burst: Burst, nowMs: number, time: Date): DemoRecord[] {
    const { burstSize, burstSpreadMs } = this.options;
    const progress = burstSpreadMs <= 0 ? 1 : Math.min(1, (nowMs - burst.startMs) / burstSpreadMs);
    const wanted = Math.max(1, Math.ceil(progress * burstSize));
    const out: DemoRecord[] = [];
    for (; burst.sent < Math.min(wanted, burstSize); burst.sent++) out.push(this.signalRecord(this.random.pick(burst.lines), time));
    if (burst.sent >= burstSize) this.burst = undefined;
    return out;
  }

  private signalRecord(line: SignalLine, time: Date): DemoRecord {
    const multiLine = line.text.includes('\n');
    const event: LogEvent = multiLine
      ? { level: 'error', message: 'request failed', error: line.text, raw: line.text }
      : { level: 'error', message: line.text, raw: line.text };
    return { ...this.record(line.service, event, line.signal, time), ruleId: line.ruleId };
  }

  private record(service: DemoService, event: LogEvent, kind: DemoRecord['kind'], time: Date): DemoRecord {
    return { key: service.name, value: formatRecord(service, event, time), headers: { service: service.name }, kind };
  }
}
