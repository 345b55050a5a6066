import { performance } from 'node:perf_hooks';
import type { BatchControl, BatchHandler, InBatch, OutRecord, Sink } from '../kafka/types.js';
import type { BatchReport, PipelineObserver } from '../pipeline/observer.js';
import type { MatcherBank } from '../match/types.js';
import { isPooled } from '../pool/pooled-bank.js';
import type { BankHolder } from '../ruleset/bank-holder.js';
import { BatchPlan, type PlanSettings } from './batch-plan.js';
import { planOnPool } from './pool-plan.js';
import type { DeadLetterInfo } from './dead-letter.js';
import type { InFlight, PoisonGuard } from './poison-guard.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import type { ProcessorFactory } from './record-outcome.js';

export interface BatchHandlerDeps {
  settings: PlanSettings;
  banks: BankHolder;
  processorFor: ProcessorFactory;
  sink: Sink;
  observer: PipelineObserver;
  /** One warning per dead-letter reason per window. */
  deadLetterWarnings: RateLimitedLog<DeadLetterInfo>;
  /** Called after each committed batch (the broker answered: it is reachable). */
  onCommitted?: (report: BatchReport) => void;
  /** How often to tell the group coordinator we are alive while planning a long batch. */
  heartbeatIntervalMs?: number;
  /** Remembers the batch in hand across deaths of the process (absent: guard off). */
  guard?: PoisonGuard;
}

/** Raised when even a cut dead letter is refused: the DLQ topic itself is unusable. */
export class DeadLetterRefusedError extends Error {
  override name = 'DeadLetterRefusedError';
}

/**
 * Writes the plan; what the broker refuses (./batch-plan.ts replacementFor) is written again as
 * a dead letter, in a second round, before anything is committed. A second refusal is an error
 * of the dead-letter topic, not of a record: the batch fails and is not committed.
 */
async function writeAll(sink: Sink, plan: BatchPlan): Promise<void> {
  const refused = await sink.send(plan.writes);
  if (refused.length === 0) return;
  const replaced = new Set<InBatch['records'][number]>();
  const again: OutRecord[] = [];
  for (const r of refused) {
    const replacement = plan.replacementFor(r.index, r.error, replaced);
    if (replacement !== undefined) again.push(replacement);
  }
  const refusedAgain = await sink.send(again);
  if (refusedAgain.length > 0) {
    throw new DeadLetterRefusedError(`${plan.topic}[${plan.partition}]: the dead-letter topic refused a dead letter cut to its headers: ${refusedAgain[0]?.error}`);
  }
}

/** Records planned between looks at the clock, the group state and shutdown. */
const CHECK_EVERY = 128;

/**
 * One batch of one partition, at least once: plan every record (decode → match → tag), write
 * the tagged events and dead letters, and only once the broker has acknowledged all of them
 * commit the batch's offsets. If any step fails the batch is not committed and kafkajs fetches
 * it again, so a crash at any moment loses nothing and repeats at most this batch.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  const heartbeatIntervalMs = deps.heartbeatIntervalMs ?? 1000;

  return async (batch: InBatch, control: BatchControl): Promise<void> => {
    const received = performance.now();
    const records = batch.records;
    if (records.length === 0) return;

    const first = records[0] as InBatch['records'][number];
    const inFlight = deps.guard?.begin(batch.topic, batch.partition, first.offset, (records[records.length - 1] ?? first).offset);
    let committed: string | undefined;
    try {
      committed = await handle(batch, control, received, inFlight);
    } finally {
      inFlight?.end(committed);
    }
  };

  /** The batch's work; resolves with the offset committed through, if any. */
  async function handle(batch: InBatch, control: BatchControl, received: number, inFlight: InFlight | undefined): Promise<string | undefined> {
    const lease = deps.banks.acquire();
    let plan: BatchPlan | undefined;
    try {
      const bank = lease.bank;
      const split = deps.processorFor.split;
      // After a crash with this range in hand the guard goes record by record on this thread,
      // so that a death names its record; otherwise a pooled bank matches the batch at once.
      plan =
        isPooled(bank) && split !== undefined && inFlight?.careful !== true
          ? await planOnPool(batch, control, bank, split(bank), deps.settings, heartbeatIntervalMs)
          : await planHere(batch, control, bank, deps, heartbeatIntervalMs, inFlight);
    } finally {
      lease.release();
    }

    if (plan === undefined) return undefined;
    if (control.isStale() || plan.lastOffset === undefined) return undefined;
    inFlight?.writing();
    if (plan.writes.length > 0) await writeAll(deps.sink, plan);
    try {
      await control.commit(plan.lastOffset);
    } catch (err) {
      deps.observer.commitFailed(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }

    const report: BatchReport = {
      topic: batch.topic,
      partition: batch.partition,
      records: plan.records,
      bytes: plan.bytes,
      matched: plan.matched,
      unmatched: plan.unmatched,
      deadLettered: plan.deadLettered,
      decodeIssues: plan.decodeIssues,
      latencySeconds: (performance.now() - received) / 1000,
      lastOffset: plan.lastOffset,
      highWatermark: batch.highWatermark,
    };
    deps.observer.batch(report);
    for (const [reason, sample] of plan.deadSamples) {
      deps.deadLetterWarnings.note(reason, sample, plan.deadLettered[reason] ?? 1);
    }
    deps.onCommitted?.(report);
    return plan.lastOffset;
  }
}

/** The plan of one batch matched on this thread, record by record. Undefined when stale (a seek). */
async function planHere(
  batch: InBatch,
  control: BatchControl,
  bank: MatcherBank,
  deps: BatchHandlerDeps,
  heartbeatIntervalMs: number,
  inFlight: InFlight | undefined,
): Promise<BatchPlan | undefined> {
  const records = batch.records;
  const plan = new BatchPlan(batch.topic, batch.partition, deps.settings, deps.processorFor(bank));
  let lastBeat = performance.now();
  try {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as InBatch['records'][number];
      const crashed = inFlight?.careful === true ? inFlight.next(record.offset) : undefined;
      if (crashed === undefined) plan.add(record);
      else plan.refuse(record, 'crashed-worker', crashed);
      if (i % CHECK_EVERY !== CHECK_EVERY - 1) continue;
      // A seek moved this partition: what we planned is for offsets no longer wanted.
      if (control.isStale()) return undefined;
      // Shutting down: write and commit the part done rather than the whole batch.
      if (!control.isRunning()) break;
      const now = performance.now();
      if (now - lastBeat >= heartbeatIntervalMs) {
        // Other partitions run during the wait: the guard must not blame this batch's record for them.
        inFlight?.idle();
        // Throws when the group rebalances: nothing was written, the next owner redoes it all.
        await control.heartbeat();
        lastBeat = now;
      }
    }
  } finally {
    // The loop is over, on every path, before anything else may run: other partitions' handlers
    // resume in the microtasks between this return and the caller's next step, and a death in
    // them must not be blamed on the last record this batch named.
    inFlight?.idle();
  }
  return plan;
}
