import type { InRecord, OutRecord } from '../kafka/types.js';
import type { DeadLetterReason, MatchedRecord } from '../pipeline/observer.js';
import { deadLetterRecord, type DeadLetterInfo } from './dead-letter.js';
import type { BatchRecordOutcome, MessageOutcome, RecordPosition, RecordProcessor } from './record-outcome.js';
import { serviceFromHeaders } from './service-header.js';

export interface PlanSettings {
  outputTopic: string;
  dlqTopic: string;
  emit: 'matched' | 'all';
  /**
   * The largest value faultline writes. A tagged event above it is dead-lettered as too large (the
   * broker would refuse it forever and stall the partition); a dead-letter value above it is cut.
   */
  maxWriteBytes: number;
}

/**
 * Everything one batch of one partition turns into: the records to write (tagged events and
 * dead letters, in input order) and the counts for the batch report. Pure: no I/O, so that a
 * batch can be planned in slices between heartbeats and written only when complete.
 */
export class BatchPlan {
  readonly writes: OutRecord[] = [];
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
    this.records++;
    this.bytes += record.value?.length ?? 0;
    this.lastOffset = record.offset;
    this.position.offset = record.offset;
    this.position.timestamp = record.timestamp;
    this.position.index = undefined;

    let outcome: MessageOutcome;
    try {
      outcome = this.process(record.value, this.position, serviceFromHeaders(record.headers), record.headers);
    } catch (err) {
      outcome = { kind: 'dead', reason: 'processing-error', error: errorText(err) };
    }

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

  /** Counts one decoded record and queues its tagged event; says why when it cannot be written. */
  private emit(record: InRecord, outcome: BatchRecordOutcome): { reason: DeadLetterReason; error: string } | undefined {
    const event = outcome.kind === 'matched' || this.settings.emit === 'all' ? outcome.event : undefined;
    let value: string | undefined;
    if (event !== undefined) {
      try {
        value = JSON.stringify(event);
      } catch (err) {
        return { reason: 'processing-error', error: `cannot serialise the tagged event: ${errorText(err)}` };
      }
      // A UTF-16 unit is at most 3 UTF-8 bytes: most events need no byte count at all.
      if (value.length * 3 > this.settings.maxWriteBytes && Buffer.byteLength(value) > this.settings.maxWriteBytes) {
        return { reason: 'too-large', error: `tagged event is over ${this.settings.maxWriteBytes} bytes` };
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
    if (value !== undefined) this.writes.push({ topic: this.settings.outputTopic, key: record.key, value });
    return undefined;
  }

  private deadLetter(record: InRecord, reason: DeadLetterReason, error: string | undefined): void {
    const info: DeadLetterInfo = {
      reason,
      topic: this.topic,
      partition: this.partition,
      offset: record.offset,
      timestamp: record.timestamp,
    };
    if (error !== undefined) info.error = error;
    this.writes.push(deadLetterRecord(this.settings.dlqTopic, record, info, this.settings.maxWriteBytes));
    this.deadLettered[reason] = (this.deadLettered[reason] ?? 0) + 1;
    this.deadSamples.set(reason, info);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
