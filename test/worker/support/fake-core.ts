import type { DecodedRecord } from '../../../src/decode/types.js';
import type { MatcherBank } from '../../../src/match/types.js';
import type { TaggedEvent } from '../../../src/tag/types.js';
import { eventSource, type RecordOutcome, type RecordPosition, type RecordProcessor } from '../../../src/worker/record-outcome.js';

/**
 * A stand-in for the matching core in unit tests: "MATCH:<id>" matches rule <id>, "BINARY" is
 * dead-lettered as binary, "THROW" throws, anything else is unmatched.
 */
export function fakeProcessor(emitAll = false): RecordProcessor {
  return (value: Buffer | null, position: RecordPosition, fallbackService: string | undefined): RecordOutcome => {
    const text = value?.toString('utf8') ?? '';
    if (text.includes('THROW')) throw new Error('boom');
    if (text.includes('BINARY')) return { kind: 'dead', reason: 'binary' };
    const decoded: DecodedRecord = { text, event: { message: text }, format: 'text', issues: [], bytes: value?.length ?? 0 };
    if (fallbackService !== undefined) decoded.service = fallbackService;
    const m = /MATCH:(\S+)/.exec(text);
    const event = (ids: string[]): TaggedEvent => {
      const faultline: TaggedEvent['faultline'] = {
        matches: ids.map((id) => ({ id, domain: 'd', category: 'c', tags: [], signals: ['pool-starvation'], span: [0, 1] })),
        signals: ids.length > 0 ? ['pool-starvation'] : [],
        source: eventSource(position),
      };
      if (decoded.service !== undefined) faultline.service = decoded.service;
      return { message: text, faultline };
    };
    if (m?.[1] !== undefined) return { kind: 'matched', event: event([m[1]]), decoded };
    return emitAll ? { kind: 'unmatched', event: event([]), decoded } : { kind: 'unmatched', decoded };
  };
}

export function fakeBank(): MatcherBank & { closed: boolean } {
  return {
    rules: [],
    stats: { rules: 0, patterns: 0, prefiltered: 0, unfiltered: 0, buildMs: 0 },
    closed: false,
    match() {
      return [];
    },
    close() {
      this.closed = true;
    },
  };
}
