// Checks the worker's output topics against what the generated input must become.
import { expect } from 'vitest';
import { DLQ_HEADERS } from '../../../src/worker/dead-letter.js';
import type { JsonMessage, RawMessage } from './kcat-io.js';
import { valueId, type MixedRecord } from './mixed-records.js';

export interface Placed {
  record: MixedRecord;
  partition: number;
  offset: number;
}

export const coord = (partition: number, offset: number | string): string => `${partition}@${offset}`;

/** Where each generated record landed in the input topic, from the topic read back with kcat. */
export function placeRecords(records: readonly MixedRecord[], input: readonly RawMessage[]): Map<string, Placed> {
  const byValue = new Map(records.map((r) => [valueId(r.value), r]));
  const placed = new Map<string, Placed>();
  for (const m of input) {
    const record = m.value === null ? undefined : byValue.get(valueId(m.value));
    if (record === undefined) throw new Error(`input ${coord(m.partition, m.offset)} is not a generated record`);
    placed.set(coord(m.partition, m.offset), { record, partition: m.partition, offset: m.offset });
  }
  expect(placed.size).toBe(records.length);
  return placed;
}

export interface TaggedOutput {
  source: { topic: string; partition: number; offset: string };
  ruleIds: string[];
  service: string | undefined;
  key: string | null;
  outPartition: number;
  outOffset: number;
}

export function parseOutputs(messages: readonly JsonMessage[]): TaggedOutput[] {
  return messages.map((m) => {
    const event = JSON.parse(m.payload ?? 'null') as {
      faultline: { source: TaggedOutput['source']; matches: { id: string }[]; service?: string };
    };
    return {
      source: event.faultline.source,
      ruleIds: event.faultline.matches.map((x) => x.id).sort(),
      service: event.faultline.service,
      key: m.key,
      outPartition: m.partition,
      outOffset: m.offset,
    };
  });
}

/**
 * The output topic holds one tagged event per expected record (`allowDuplicates`: at least one,
 * every copy identical), with the expected rule ids and service, keyed like the input; records of
 * one key appear in input order.
 */
export function checkOutputs(
  outputs: readonly TaggedOutput[],
  placed: ReadonlyMap<string, Placed>,
  inputTopic: string,
  opts: { emitAll: boolean; allowDuplicates: boolean },
): void {
  const seen = new Map<string, number>();
  for (const o of outputs) {
    expect(o.source.topic).toBe(inputTopic);
    const c = coord(o.source.partition, o.source.offset);
    const p = placed.get(c);
    if (p === undefined) throw new Error(`output for unknown input ${c}`);
    const exp = p.record.expected;
    if (exp.kind === 'dead') throw new Error(`dead-letter record ${c} (rid ${p.record.rid}) was written to the output topic`);
    if (exp.kind === 'unmatched') {
      if (!opts.emitAll) throw new Error(`unmatched record ${c} (rid ${p.record.rid}) was written: ${o.ruleIds.join(',')}`);
      expect(o.ruleIds, `rid ${p.record.rid}`).toEqual([]);
    } else {
      expect(o.ruleIds, `rule ids of rid ${p.record.rid}`).toEqual([...exp.ruleIds].sort());
      if (exp.service !== undefined) expect(o.service).toBe(exp.service);
    }
    expect(o.key).toBe(p.record.key);
    seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  const wanted = [...placed.entries()].filter(([, p]) => p.record.expected.kind === 'matched' || (opts.emitAll && p.record.expected.kind === 'unmatched'));
  const missing = wanted.filter(([c]) => !seen.has(c)).map(([c, p]) => `${c} (rid ${p.record.rid})`);
  expect(missing, 'records missing from the output topic').toEqual([]);
  if (!opts.allowDuplicates) {
    const dup = [...seen].filter(([, n]) => n > 1).map(([c]) => c);
    expect(dup, 'records written twice').toEqual([]);
  }
  expect(seen.size).toBe(wanted.length);
  checkKeyOrder(outputs);
}

/** Per key, in each output partition, source offsets only go up (duplicates after a crash may repeat a run). */
function checkKeyOrder(outputs: readonly TaggedOutput[]): void {
  const byKey = new Map<string, TaggedOutput[]>();
  for (const o of outputs) {
    const k = `${o.key}|${o.outPartition}`;
    const list = byKey.get(k) ?? [];
    list.push(o);
    byKey.set(k, list);
  }
  for (const [k, list] of byKey) {
    list.sort((a, b) => a.outOffset - b.outOffset);
    const firstSeen = new Set<string>();
    let last = -1;
    for (const o of list) {
      const c = coord(o.source.partition, o.source.offset);
      if (firstSeen.has(c)) continue; // a replayed duplicate
      firstSeen.add(c);
      const off = Number(o.source.offset);
      expect(off, `key ${k}: ${c} after offset ${last}`).toBeGreaterThan(last);
      last = off;
    }
  }
}

/** The DLQ holds every poison record with its original key and bytes, and reason and source headers. */
export function checkDeadLetters(
  raw: readonly RawMessage[],
  json: readonly JsonMessage[],
  placed: ReadonlyMap<string, Placed>,
  inputTopic: string,
  opts: { allowDuplicates: boolean },
): void {
  const headersAt = new Map(json.map((m) => [coord(m.partition, m.offset), m.headers]));
  const seen = new Map<string, number>();
  for (const m of raw) {
    const h = headersAt.get(coord(m.partition, m.offset));
    if (h === undefined) throw new Error(`no headers read for DLQ ${coord(m.partition, m.offset)}`);
    expect(h[DLQ_HEADERS.topic]).toBe(inputTopic);
    const c = coord(Number(h[DLQ_HEADERS.partition]), String(h[DLQ_HEADERS.offset]));
    const p = placed.get(c);
    if (p === undefined) throw new Error(`DLQ record for unknown input ${c}`);
    const exp = p.record.expected;
    if (exp.kind !== 'dead') throw new Error(`record ${c} (rid ${p.record.rid}) was dead-lettered as ${h[DLQ_HEADERS.reason]}: ${h[DLQ_HEADERS.error]}`);
    expect(h[DLQ_HEADERS.reason]).toBe(exp.reason);
    expect(m.key?.toString('utf8')).toBe(p.record.key);
    expect(m.value?.equals(p.record.value), `bytes of DLQ record for rid ${p.record.rid}`).toBe(true);
    seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  const wanted = [...placed.entries()].filter(([, p]) => p.record.expected.kind === 'dead');
  const missing = wanted.filter(([c]) => !seen.has(c)).map(([c]) => c);
  expect(missing, 'poison records missing from the DLQ').toEqual([]);
  if (!opts.allowDuplicates) expect([...seen.values()].every((n) => n === 1)).toBe(true);
  expect(seen.size).toBe(wanted.length);
}

/** Records per input partition: the offsets a group must have committed once done. */
export function endOffsets(input: readonly RawMessage[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const m of input) ends.set(m.partition, Math.max(ends.get(m.partition) ?? 0, m.offset + 1));
  return ends;
}
