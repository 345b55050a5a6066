// The demo producer's stream, run through the worker's own decoder and the real rule bank: its
// ordinary lines match nothing, every signal line is counted under the signal it claims, for the
// service it claims, and the stream has the shape the dashboard needs (steady lines, rotating
// incidents of bounded size).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDecoder } from '../../src/decode/decode-record.js';
import { signalCatalog } from '../../src/demo/catalog.js';
import { DEFAULT_SCHEDULE, DemoSchedule, type DemoRecord, type ScheduleOptions } from '../../src/demo/schedule.js';
import { DEMO_SERVICES } from '../../src/demo/services.js';
import { loadRules } from '../../src/kb/load.js';
import { SIGNALS, type Rule, type Signal } from '../../src/kb/types.js';
import { buildBank } from '../../src/match/bank.js';
import type { MatcherBank } from '../../src/match/types.js';
import { matchRecordText } from '../../src/match/record-text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = Date.parse('2026-11-22T10:00:00Z');

let rules: Rule[] = [];
let bank: MatcherBank;
const decode = createDecoder({ maxRecordBytes: 1024 * 1024 });

beforeAll(async () => {
  rules = (await loadRules([path.join(ROOT, 'rules')])).rules;
  bank = buildBank(rules).bank;
});
afterAll(() => bank.close());

/** The records of `seconds` of demo, ticked like the producer (every 200 ms). */
function stream(seconds: number, options: Partial<ScheduleOptions> = {}): { atMs: number; record: DemoRecord }[] {
  const schedule = new DemoSchedule(signalCatalog(rules, DEMO_SERVICES), DEMO_SERVICES, { ...DEFAULT_SCHEDULE, seed: 7, ...options }, START);
  const out: { atMs: number; record: DemoRecord }[] = [];
  for (let t = 0; t <= seconds * 1000; t += 200) for (const record of schedule.due(START + t)) out.push({ atMs: t, record });
  return out;
}

/** What the worker makes of one record: its service and the signals it is counted under. */
function asWorkerSees(record: DemoRecord): { service: string | undefined; signals: Signal[]; format: string } {
  const decoded = decode(record.value, record.headers.service);
  const matched = decoded.text === '' ? [] : matchRecordText(bank, decoded.text);
  const signals = new Set(matched.flatMap((m) => bank.rules[m.rule]?.signals ?? []));
  return { service: decoded.service, signals: [...signals], format: decoded.format };
}

describe('demo stream', () => {
  it('has signal lines for every signal, from several services', () => {
    const catalog = signalCatalog(rules, DEMO_SERVICES);
    expect([...catalog.keys()].sort()).toEqual([...SIGNALS].sort());
    for (const [signal, lines] of catalog) expect(new Set(lines.map((l) => l.service.name)).size, signal).toBeGreaterThanOrEqual(3);
  });

  it('ordinary lines match no rule; signal lines count under their signal, for their service', () => {
    const records = stream(120).map((r) => r.record);
    const wrong: string[] = [];
    for (const record of records) {
      const seen = asWorkerSees(record);
      if (seen.service !== record.key) wrong.push(`service ${seen.service} instead of ${record.key}: ${record.value.slice(0, 120)}`);
      if (record.kind === 'background' && seen.signals.length > 0) wrong.push(`ordinary line matched ${seen.signals.join(',')}: ${record.value.slice(0, 120)}`);
      if (record.kind !== 'background' && !seen.signals.includes(record.kind)) {
        wrong.push(`${record.ruleId} line not counted as ${record.kind} (got ${seen.signals.join(',') || 'nothing'}): ${record.value.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(records.filter((r) => r.kind !== 'background').length).toBeGreaterThan(100);
  });

  it('mixes JSON shapes and plain text', () => {
    const records = stream(30).map((r) => r.record);
    const formats = new Set(records.map((r) => asWorkerSees(r).format));
    expect(formats).toEqual(new Set(['json', 'text']));
    const keys = new Set(records.filter((r) => r.value.startsWith('{')).flatMap((r) => Object.keys(JSON.parse(r.value) as object)));
    for (const key of ['@timestamp', 'msg', '@mt', 'ts']) expect(keys, key).toContain(key); // ECS, pino, Serilog, zap
  });

  it('writes ordinary lines at the configured rate and rotates bounded incidents through every signal', () => {
    const rate = 10;
    const burstSize = 25;
    const records = stream(60, { rate, trickle: 0, burstEveryMs: 15_000, burstSize, burstSpreadMs: 3000, firstBurstMs: 3000 });
    expect(records.filter((r) => r.record.kind === 'background')).toHaveLength(rate * 60);
    // Incidents start at 3, 18, 33 and 48 s: four of them, each one signal in one service.
    const incidents = [3000, 18_000, 33_000, 48_000].map((start) =>
      records.filter((r) => r.record.kind !== 'background' && r.atMs >= start && r.atMs <= start + 3000).map((r) => r.record),
    );
    expect(incidents.map((i) => i.length)).toEqual([burstSize, burstSize, burstSize, burstSize]);
    expect(new Set(incidents.slice(0, 3).map((i) => i[0]?.kind))).toEqual(new Set(SIGNALS));
    for (const incident of incidents) {
      expect(new Set(incident.map((r) => r.kind)).size).toBe(1);
      expect(new Set(incident.map((r) => r.key)).size).toBe(1);
    }
    // Bounded: no 200 ms tick carries more than the background share plus a burst's share.
    const perTick = new Map<number, number>();
    for (const r of records) perTick.set(r.atMs, (perTick.get(r.atMs) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(rate * 0.2 + Math.ceil((burstSize * 200) / 3000) + 1);
  });

  it('is reproducible from its seed', () => {
    const a = stream(20).map((r) => r.record.value);
    const b = stream(20).map((r) => r.record.value);
    expect(a).toEqual(b);
    expect(stream(20, { seed: 8 }).map((r) => r.record.value)).not.toEqual(a);
  });
});
