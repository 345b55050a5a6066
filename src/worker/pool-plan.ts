import { performance } from 'node:perf_hooks';
import type { BatchControl, InBatch } from '../kafka/types.js';
import type { RuleMatch } from '../match/types.js';
import type { PooledBank } from '../pool/pooled-bank.js';
import { BatchPlan, type PlanSettings } from './batch-plan.js';
import type { DecodedMessage, RecordPosition, RecordProcessor, SplitProcessor } from './record-outcome.js';
import { serviceFromHeaders } from './service-header.js';

/** Records handled between looks at the clock, the group state and shutdown. */
const CHECK_EVERY = 128;

/**
 * The plan of one batch with its matching on the matcher threads: decode every record here,
 * match all the batch's texts on the pool in one job (one rules generation for the whole batch),
 * then tag and plan here in input order. Undefined when the partition moved under the batch
 * (seek): nothing of it may be written. On shutdown the records decoded so far are planned.
 */
export async function planOnPool(
  batch: InBatch,
  control: BatchControl,
  bank: PooledBank,
  steps: SplitProcessor,
  settings: PlanSettings,
  heartbeatIntervalMs: number,
): Promise<BatchPlan | undefined> {
  const records = batch.records;
  const position: RecordPosition = { topic: batch.topic, partition: batch.partition, offset: '', timestamp: '-1' };
  let lastBeat = performance.now();
  /** False: stale. Heartbeats throw when the group rebalances: nothing was written, the next owner redoes it all. */
  const check = async (): Promise<boolean> => {
    if (control.isStale()) return false;
    const now = performance.now();
    if (now - lastBeat >= heartbeatIntervalMs) {
      await control.heartbeat();
      lastBeat = now;
    }
    return true;
  };

  const decoded: DecodedMessage[] = [];
  const texts: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InBatch['records'][number];
    position.offset = record.offset;
    position.timestamp = record.timestamp;
    position.index = undefined;
    let message: DecodedMessage;
    try {
      message = steps.decode(record.value, position, serviceFromHeaders(record.headers), record.headers);
    } catch (err) {
      message = { kind: 'done', outcome: { kind: 'dead', reason: 'processing-error', error: errorText(err) } };
    }
    decoded.push(message);
    if (message.kind === 'records') for (const r of message.records) texts.push(r.text);
    if (i % CHECK_EVERY !== CHECK_EVERY - 1) continue;
    if (!(await check())) return undefined;
    if (!control.isRunning()) break;
  }

  const matches = await bank.matchAll(texts);
  if (!(await check())) return undefined;

  const plan = new BatchPlan(batch.topic, batch.partition, settings, replay(decoded, matches, steps));
  for (let i = 0; i < decoded.length; i++) {
    plan.add(records[i] as InBatch['records'][number]);
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && !(await check())) return undefined;
  }
  return plan;
}

/** The processor BatchPlan calls once per record, in order: the decoding and matches made above. */
function replay(decoded: readonly DecodedMessage[], matches: readonly RuleMatch[][], steps: SplitProcessor): RecordProcessor {
  let next = 0;
  let text = 0;
  return (_value, position) => {
    const message = decoded[next++] as DecodedMessage;
    if (message.kind === 'done') return message.outcome;
    const mine = matches.slice(text, text + message.records.length);
    text += message.records.length;
    return steps.finish(message, mine, position);
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
