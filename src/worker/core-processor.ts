import type { Config } from '../config/config.js';
import { createDecoder } from '../decode/decode-record.js';
import type { MatcherBank } from '../match/types.js';
import { decodeOptionsFrom } from '../pipeline/decode-options.js';
import type { UnknownErrors } from '../templates/unknown-errors.js';
import { tagEvent } from '../tag/tag-event.js';
import { eventSource, isoTimestamp, type ProcessorFactory, type RecordOutcome } from './record-outcome.js';

const EMPTY = Buffer.alloc(0);

/**
 * The matching core for Kafka records: decode → match → tag. A record over the size limit is
 * dead-lettered before it is even decoded, and so is one that is binary rather than text.
 * Invalid UTF-8 is not dead-lettered: it is matched with replacement characters (and counted as
 * a decode issue), since a stray Latin-1 byte should not hide a real error from the rules.
 * `faultline scan` composes the same steps with its own policy: it truncates, never dead-letters.
 */
export function coreProcessorFor(
  config: Pick<Config, 'maxRecordBytes' | 'messageFields' | 'errorFields' | 'serviceFields' | 'emit'>,
  /** Where unmatched errors and warnings are mined into templates (off when undefined). */
  unknown?: UnknownErrors,
): ProcessorFactory {
  const decode = createDecoder(decodeOptionsFrom(config));
  const emitAll = config.emit === 'all';

  return (bank: MatcherBank) =>
    (value, position, fallbackService): RecordOutcome => {
      if (value !== null && value.length > config.maxRecordBytes) return { kind: 'dead', reason: 'too-large' };
      const decoded = decode(value ?? EMPTY, fallbackService);
      if (decoded.issues.includes('binary')) return { kind: 'dead', reason: 'binary', decoded };
      const matches = decoded.text === '' ? [] : bank.match(decoded.text);
      if (matches.length > 0) return { kind: 'matched', event: tagEvent(decoded, matches, bank.rules, eventSource(position)), decoded };
      if (unknown !== undefined && decoded.text !== '') {
        const { topic, partition, offset, timestamp } = position;
        unknown.observe({ text: decoded.text, event: decoded.event, service: decoded.service, source: () => ({ kind: 'kafka', topic, partition, offset, timestamp: isoTimestamp(timestamp) }) }, Date.now());
      }
      return emitAll ? { kind: 'unmatched', event: tagEvent(decoded, matches, bank.rules, eventSource(position)), decoded } : { kind: 'unmatched', decoded };
    };
}
