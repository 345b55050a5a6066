
import type { Config } from '../config/config.js';
import { createMessageDecoder } from '../decode/decode-message.js';
import { encodingResolver, type InputEncoding } from '../decode/input-encoding.js';
import type { DecodedRecord } from '../decode/types.js';
import type { Headers } from '../kafka/types.js';
import { matchRecordText } from '../match/record-text.js';
import type { MatcherBank, RuleMatch } from '../match/types.js';
import { decodeOptionsFrom } from '../pipeline/decode-options.js';
import type { UnknownErrors } from '../templates/unknown-errors.js';
import { rulesVersion } from '../ruleset/load-bank.js';
import { tagEvent } from '../tag/tag-event.js';
import type { TaggedEvent } from '../tag/types.js';
import {
  eventSource,
  isoTimestamp,
  type BatchRecordOutcome,
  type DecodedMessage,
  type MessageOutcome,
  type ProcessorFactory,
  type RecordPosition,
  type SplitProcessor,
} from './record-outcome.js';

const EMPTY = Buffer.alloc(0);

type CoreConfig = Pick<Config, 'maxRecordBytes' | 'messageFields' | 'errorFields' | 'serviceFields' | 'emit' | 'inputEncoding'>;

/**
 * A producer may say what it wrote: `content-type: application/x-protobuf` (the media type of
 * OTLP/HTTP protobuf, which Collector users set with the Kafka exporter's `record_headers`; the
 * exporter sets no content type of its own) makes an `auto` topic read the message as OTLP.
 */
function encodingFromHeaders(headers: Headers | undefined, configured: InputEncoding): InputEncoding {
  if (configured !== 'auto' || headers === undefined) return configured;
  for (const key in headers) {
    if (key.toLowerCase() !== 'content-type') continue;
    const v = headers[key];
    const first = Array.isArray(v) ? v[0] : v;
    const text = first === undefined ? '' : typeof first === 'string' ? first : first.toString('latin1');
    if (/^application\/(x-)?protobuf\b/i.test(text.trim())) return 'otlp_proto';
  }
  return configured;
}

/**
 * The matching core for Kafka messages: decode → match → tag, once per record the message holds
 * (one, or one per log record of an OTLP export request). A message over the size limit is
 * dead-lettered before it is even decoded, and so is one that is binary rather than text, or
 * one read as OTLP that is not. Invalid UTF-8 is not dead-lettered: it is matched with
 * replacement characters (and counted as a decode issue), since a stray Latin-1 byte should not
 * hide a real error from the rules. `faultline scan` composes the same steps with its own
 * policy: it truncates, never dead-letters.
 *
 * The same steps come in two halves too (`split`): decode, then — once the texts were matched
 * elsewhere, by the matcher threads — tag. Every tagged event names the rules version that
 * matched it.
 */
export function coreProcessorFor(
  config: CoreConfig,
  /** Where unmatched errors and warnings are mined into templates (off when undefined). */
  unknown?: UnknownErrors,
): ProcessorFactory {
  const decodeMessage = createMessageDecoder(decodeOptionsFrom(config));
  const encodingOf = encodingResolver(config.inputEncoding);
  const emitAll = config.emit === 'all';

  const decode: SplitProcessor['decode'] = (value, position, fallbackService, headers): DecodedMessage => {
    if (value !== null && value.length > config.maxRecordBytes) return { kind: 'done', outcome: { kind: 'dead', reason: 'too-large' } };
    const message = decodeMessage(value ?? EMPTY, encodingFromHeaders(headers, encodingOf(position.topic)), fallbackService);
    if (message.kind === 'invalid') return { kind: 'done', outcome: { kind: 'dead', reason: message.reason, error: message.error } };
    if (!message.batch) {
      const decoded = message.records[0] as DecodedRecord;
      if (decoded.issues.includes('binary')) return { kind: 'done', outcome: { kind: 'dead', reason: 'binary', decoded } };
    }
    return { kind: 'records', records: message.records, batch: message.batch };
  };

  const finisher = (bank: MatcherBank): SplitProcessor['finish'] => {
    const version = rulesVersion(bank.rules);
    const tag = (decoded: DecodedRecord, matches: readonly RuleMatch[], position: RecordPosition): TaggedEvent => {
      const event = tagEvent(decoded, matches, bank.rules, eventSource(position));
      event.faultline.rules_version = version;
      return event;
    };
    const one = (decoded: DecodedRecord, matches: readonly RuleMatch[], position: RecordPosition): BatchRecordOutcome => {
      if (matches.length > 0) return { kind: 'matched', event: tag(decoded, matches, position), decoded, eventOf: 'decoded' };
      if (unknown !== undefined && decoded.text !== '') {
        const { topic, partition, offset, timestamp } = position;
        unknown.observe({ text: decoded.text, event: decoded.event, service: decoded.service, source: () => ({ kind: 'kafka', topic, partition, offset, timestamp: isoTimestamp(timestamp) }) }, Date.now());
      }
      return emitAll ? { kind: 'unmatched', event: tag(decoded, matches, position), decoded, eventOf: 'decoded' } : { kind: 'unmatched', decoded };
    };
    return (message, matches, position, from = 0): MessageOutcome => {
      if (!message.batch) return one(message.records[0] as DecodedRecord, matches[from] ?? NONE, position);
      const records: BatchRecordOutcome[] = [];
      for (let i = 0; i < message.records.length; i++) {
        position.index = i;
        records.push(one(message.records[i] as DecodedRecord, matches[from + i] ?? NONE, position));
      }
      position.index = undefined;
      return { kind: 'batch', records };
    };
  };

  const split = (bank: MatcherBank): SplitProcessor => ({ decode, finish: finisher(bank) });
  const factory = (bank: MatcherBank) => {
    const finish = finisher(bank);
    return (value: Buffer | null, position: RecordPosition, fallbackService: string | undefined, headers?: Headers): MessageOutcome => {
      const message = decode(value, position, fallbackService, headers);
      if (message.kind === 'done') return message.outcome;
      return finish(message, message.records.map((r) => (r.text === '' ? NONE : matchRecordText(bank, r.text))), position);
    };
  };
  return Object.assign(factory, { split });
}

const NONE: readonly RuleMatch[] = Object.freeze([]);
