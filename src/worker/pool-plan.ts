import { performance } from 'node:perf_hooks';
import type { BatchControl, InBatch } from '../kafka/types.js';
import type { PooledBank } from '../pool/pooled-bank.js';
import { BatchPlan, type PlanSettings } from './batch-plan.js';
import type { DecodedMessage, MessageOutcome, RecordPosition, RecordProcessor, SplitProcessor } from './record-outcome.js';
import { checkRecordLimits, type LimitBreach } from './record-limits.js';
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

  // Index for index with the records: a limit breach, or what decoding made of the record.
  const breaches: (LimitBreach | undefined)[] = [];
  const messages: (DecodedMessage | undefined)[] = [];
  const texts: string[] = [];
  let planned = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as InBatch['records'][number];
    planned = i + 1;
    // Over a limit: BatchPlan dead-letters it unread; nothing here may read it either.
    const breach = settings.recordLimits === undefined ? undefined : checkRecordLimits(record, settings.recordLimits);
    breaches.push(breach);
    if (breach !== undefined) {
      messages.push(undefined);
    } else {
      position.offset = record.offset;
      position.timestamp = record.timestamp;
      position.index = undefined;
      let message: DecodedMessage;
      try {
        message = steps.decode(record.value, position, serviceFromHeaders(record.headers), record.headers);
      } catch (err) {
        message = { kind: 'done', outcome: { kind: 'dead', reason: 'processing-error', error: errorText(err) } };
      }
      messages.push(message);
      if (message.kind === 'records') for (const r of message.records) texts.push(r.text);
    }
    if (i % CHECK_EVERY !== CHECK_EVERY - 1) continue;
    if (!(await check())) return undefined;
    if (!control.isRunning()) break;
  }

  const matches = await bank.matchAll(texts);
  if (!(await check())) return undefined;

  const plan = new BatchPlan(batch.topic, batch.partition, settings, notOnThisPath);
  let firstText = 0;
  for (let i = 0; i < planned; i++) {
    const record = records[i] as InBatch['records'][number];
    const breach = breaches[i];
    const message = messages[i];
    let outcome: MessageOutcome | undefined;
    if (message !== undefined) {
      if (message.kind === 'done') outcome = message.outcome;
      else {
        position.offset = record.offset;
        position.timestamp = record.timestamp;
        position.index = undefined;
        try {
          outcome = steps.finish(message, matches, position, firstText);
        } catch (err) {
          outcome = { kind: 'dead', reason: 'processing-error', error: errorText(err) };
        }
        firstText += message.records.length;
      }
    }
    plan.addSettled(record, breach, outcome);
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && !(await check())) return undefined;
  }
  return plan;
}

/** Every record reaches the plan settled (addSettled): its own processor is never called. */
const notOnThisPath: RecordProcessor = () => {
  throw new Error('the matcher threads\' plan settles every record itself');
};

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
