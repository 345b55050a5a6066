// Reads a finished scenario's output topics back with kcat and checks that every input record
// is accounted for.
import { expect } from 'vitest';
import { DLQ_HEADERS } from '../../../src/worker/dead-letter.js';
import { checkDeadLetters, checkOutputs, coord, parseOutputs, type TaggedOutput } from './expectations.js';
import { kcatConsumeJson, kcatConsumeRaw, type JsonMessage, type RawMessage } from './kcat-io.js';
import type { Scenario } from './setup.js';

export interface Written {
  outputs: TaggedOutput[];
  dlqRaw: RawMessage[];
  dlqJson: JsonMessage[];
}

export async function readWritten(s: Scenario): Promise<Written> {
  const [outJson, dlqRaw, dlqJson] = await Promise.all([kcatConsumeJson(s.output), kcatConsumeRaw(s.dlq), kcatConsumeJson(s.dlq)]);
  return { outputs: parseOutputs(outJson), dlqRaw, dlqJson };
}

/** Source coordinates ("p@o") of every written record, one entry per copy. */
export function writtenCoords(w: Written): string[] {
  return [
    ...w.outputs.map((o) => coord(o.source.partition, o.source.offset)),
    ...w.dlqJson.map((m) => coord(Number(m.headers[DLQ_HEADERS.partition]), String(m.headers[DLQ_HEADERS.offset]))),
  ];
}

/**
 * With --emit all, every input record is in the output topic or the DLQ, as expected (copies
 * only with `allowDuplicates`). Returns the coordinates written more than once.
 */
export function checkAccounted(s: Scenario, w: Written, allowDuplicates: boolean): string[] {
  checkOutputs(w.outputs, s.placed, s.input, { emitAll: true, allowDuplicates });
  checkDeadLetters(w.dlqRaw, w.dlqJson, s.placed, s.input, { allowDuplicates });
  const copies = new Map<string, number>();
  for (const c of writtenCoords(w)) copies.set(c, (copies.get(c) ?? 0) + 1);
  expect(copies.size).toBe(s.records.length);
  return [...copies].filter(([, n]) => n > 1).map(([c]) => c);
}

export function partitionOf(c: string): number {
  return Number(c.split('@')[0]);
}

export function offsetOf(c: string): number {
  return Number(c.split('@')[1]);
}
