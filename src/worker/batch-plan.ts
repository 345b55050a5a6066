import { RECORD_FIXED_BYTES, singleRecordBatchBytesOver } from '../kafka/record-size.js';
import type { InRecord, OutRecord } from '../kafka/types.js';
import type { DeadLetterReason, MatchedRecord } from '../pipeline/observer.js';
import { deadLetterRecord, DLQ_HEADERS, type DeadLetterInfo } from './dead-letter.js';
import { checkRecordLimits, type LimitBreach, type RecordLimits } from './record-limits.js';
import type { BatchRecordOutcome, MessageOutcome, RecordPosition, RecordProcessor } from './record-outcome.js';
import { serviceFromHeaders } from './service-header.js';
import { taggedEventJson } from '../tag/event-json.js';

export interface PlanSettings {
  outputTopic: string;
  dlqTopic: string;
  emit: 'matched' | 'all';
  /**
   * The largest record batch written to a topic whose limit is not known (see `topicLimits`). A
   * tagged event whose record (key, value, headers, overhead) is above its topic's limit is
   * dead-lettered as output-too-large (the broker would refuse it forever and stall the
   * partition); a dead letter above the DLQ's limit is cut to fit.
   */
  maxWriteBytes: number;
  /** Per-topic limits (max.message.bytes, from the broker or the override). */
  topicLimits?: { of(topic: string): number };
  /** Limits on key and headers; a record over one is dead-lettered before it is processed. */
  recordLimits?: RecordLimits;
}

/**
 * Everything one batch of one partition turns into: the records to write (tagged events and
 * dead letters, in input order) and the counts for the batch report. Pure: no I/O, so that a
 * batch can be planned in slices between heartbeats and written only when complete.
 */
export class BatchPlan {
  readonly writes: OutRecord[] = [];
  /** The input record each write comes from, index for index (to dead-letter a refused write). */
  readonly origins: InRecord[] = [];
  readonly matched: MatchedRecord[] = [];
  readonly deadLettered: Partial<Record<DeadLetterReason, number>> = {};
  readonly decodeIssues: Partial<Record<string, number>> = {};
  /** The last dead letter of each reason, for the rate-limited warning. */
  readonly deadSamples = new Map<DeadLetterReason, DeadLetterInfo>();
  /** Kafka messages planned (an OTLP message counts once here, and once per log record in matched/unmatched). */
  records = 0;
  bytes = 0;
  unmatched = 0;
  /** Offset of the last record planned; everything up to it may be committed once written. */
  lastOffset: string | undefined;
  private readonly position: RecordPosition;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly settings: PlanSettings,
    private readonly process: RecordProcessor,
  ) {
    this.position = { topic, partition, offset: '', timestamp: '-1' };
  }

  add(record: InRecord): void {
    const breach = this.settings.recordLimits === undefined ? undefined : checkRecordLimits(record, this.settings.recordLimits);
    if (breach !== undefined) {
      this.addSettled(record, breach, undefined);
      return;
    }
    this.begin(record);
    let outcome: MessageOutcome;
    try {
      outcome = this.process(record.value, this.position, serviceFromHeaders(record.headers), record.headers);
    } catch (err) {
      outcome = { kind: 'dead', reason: 'processing-error', error: errorText(err) };
    }
    this.settle(record, outcome);
  }

  /**
   * A record whose limits were checked (`breach`) and, within them, whose outcome was worked out
   * elsewhere (the matcher threads' path, ./pool-plan.ts): planned as `add` would plan it.
   */
  addSettled(record: InRecord, breach: LimitBreach | undefined, outcome: MessageOutcome | undefined): void {
    this.begin(record);
    if (breach !== undefined) this.deadLetter(record, breach.reason, breach.error);
    else this.settle(record, outcome ?? { kind: 'dead', reason: 'processing-error', error: 'no outcome was worked out for the record' });
  }

  private begin(record: InRecord): void {
    this.records++;
    this.bytes += record.value?.length ?? 0;
    this.lastOffset = record.offset;
    this.position.offset = record.offset;
    this.position.timestamp = record.timestamp;
    this.position.index = undefined;
  }

  private settle(record: InRecord, outcome: MessageOutcome): void {
    if (outcome.kind === 'dead') {
      this.deadLetter(record, outcome.reason, outcome.error);
      return;
    }
    if (outcome.kind !== 'batch') {
      const failure = this.emit(record, outcome);
      if (failure !== undefined) this.deadLetter(record, failure.reason, failure.error);
      return;
    }
    // One message, many records: each is counted and written on its own. A record that cannot
    // be written sends the whole message to the DLQ once (it keeps messages, not records), and
    // the message's other records are still written.
    let failure: { reason: DeadLetterReason; error: string; index: number } | undefined;
    outcome.records.forEach((r, index) => {
      const f = this.emit(record, r);
      if (f !== undefined && failure === undefined) failure = { ...f, index };
    });
    if (failure !== undefined) this.deadLetter(record, failure.reason, `record ${failure.index} of the message: ${failure.error}`);
  }

  /** Dead-letters a record without processing it (the poison-pill guard's verdict). */
  refuse(record: InRecord, reason: DeadLetterReason, error: string): void {
    this.records++;
    this.bytes += record.value?.length ?? 0;
    this.lastOffset = record.offset;
    this.deadLetter(record, reason, error);
  }

  /** Counts one decoded record and queues its tagged event; says why when it cannot be written. */
  private emit(record: InRecord, outcome: BatchRecordOutcome): { reason: DeadLetterReason; error: string } | undefined {
    const event = outcome.kind === 'matched' || this.settings.emit === 'all' ? outcome.event : undefined;
    let value: string | undefined;
    if (event !== undefined) {
      try {
        // Each rule's part of the event is serialised once, not per event (same JSON).
        value = outcome.eventOf === 'decoded' ? taggedEventJson(outcome.decoded.event, event.faultline) : JSON.stringify(event);
      } catch (err) {
        return { reason: 'processing-error', error: `cannot serialise the tagged event: ${errorText(err)}` };
      }
      const limit = this.limitOf(this.settings.outputTopic);
      const bytes = singleRecordBatchBytesOver({ key: record.key, value, headers: undefined }, limit);
      if (bytes !== undefined) {
        return { reason: 'output-too-large', error: `tagged event of ${bytes} bytes with its key is over ${this.settings.outputTopic}'s limit of ${limit}` };
      }
    } else if (outcome.kind === 'matched' || this.settings.emit === 'all') {
      return { reason: 'processing-error', error: 'the matching core returned no event' };
    }

    for (const issue of outcome.decoded.issues) this.decodeIssues[issue] = (this.decodeIssues[issue] ?? 0) + 1;
    if (outcome.kind === 'matched') {
      const block = outcome.event.faultline;
      const matched: MatchedRecord = { ruleIds: block.matches.map((m) => m.id), signals: block.signals };
      const service = block.service ?? outcome.decoded.service;
      if (service !== undefined) matched.service = service;
      this.matched.push(matched);
    } else {
      this.unmatched++;
    }
    if (value !== undefined) this.push({ topic: this.settings.outputTopic, key: record.key, value }, record);
    return undefined;
  }

  /**
   * What to write instead of write `index`, which the broker refused (its limit is lower than we
   * knew, or it refuses the record for what it is): a tagged event becomes the dead letter of its
   * record (once per record); a dead letter is cut to its reason and coordinates alone. Undefined
   * when nothing more is to be written for it.
   */
  replacementFor(index: number, error: string, alreadyReplaced: Set<InRecord>): OutRecord | undefined {
    const write = this.writes[index];
    const origin = this.origins[index];
    if (write === undefined || origin === undefined || alreadyReplaced.has(origin)) return undefined;
    alreadyReplaced.add(origin);
    const info = this.info(origin, 'output-refused', error);
    if (write.topic !== this.settings.dlqTopic) {
      this.count(info);
      return deadLetterRecord(this.settings.dlqTopic, origin, info, this.limitOf(this.settings.dlqTopic));
    }
    const reason = (write.headers?.[DLQ_HEADERS.reason] as DeadLetterInfo['reason'] | undefined) ?? 'output-refused';
    return deadLetterRecord(this.settings.dlqTopic, origin, { ...info, reason, error: `dead letter refused, cut: ${error}` }, RECORD_FIXED_BYTES);
  }

  private limitOf(topic: string): number {
    return this.settings.topicLimits?.of(topic) ?? this.settings.maxWriteBytes;
  }

  private push(write: OutRecord, origin: InRecord): void {
    this.writes.push(write);
    this.origins.push(origin);
  }

  private deadLetter(record: InRecord, reason: DeadLetterReason, error: string | undefined): void {
    const info = this.info(record, reason, error);
    this.push(deadLetterRecord(this.settings.dlqTopic, record, info, this.limitOf(this.settings.dlqTopic)), record);
    this.count(info);
  }

  private info(record: InRecord, reason: DeadLetterReason, error: string | undefined): DeadLetterInfo {
    const info: DeadLetterInfo = { reason, topic: this.topic, partition: this.partition, offset: record.offset, timestamp: record.timestamp };
    if (error !== undefined) info.error = error;
    return info;
  }

  private count(info: DeadLetterInfo): void {
    this.deadLettered[info.reason] = (this.deadLettered[info.reason] ?? 0) + 1;
    this.deadSamples.set(info.reason, info);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
