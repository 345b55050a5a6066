import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/kb/load.js';
import { buildBank } from '../../src/match/bank.js';
import { coreProcessorFor } from '../../src/worker/core-processor.js';
import type { RecordPosition } from '../../src/worker/record-outcome.js';

const { rules } = await loadRules(['rules']);
const rule = rules.find((r) => (r.examples?.match.length ?? 0) > 0);
const example = rule?.examples?.match[0]?.text ?? '';
const { bank } = buildBank(rules);
const at: RecordPosition = { topic: 'logs', partition: 1, offset: '42', timestamp: '1700000000000' };
const config = { maxRecordBytes: 4096, emit: 'matched' as const };

describe('the core processor on Kafka records', () => {
  it('tags a record with a known signature, its source and the fallback service', () => {
    const out = coreProcessorFor(config)(bank)(Buffer.from(example), at, 'checkout');
    expect(out.kind).toBe('matched');
    if (out.kind !== 'matched') return;
    expect(out.event.faultline.matches.map((m) => m.id)).toContain(rule?.id);
    expect(out.event.faultline.source).toEqual({ kind: 'kafka', topic: 'logs', partition: 1, offset: '42', timestamp: '2023-11-14T22:13:20.000Z' });
    expect(out.event.faultline.service).toBe('checkout');
  });

  it('gives unmatched records an event only when every record is emitted', () => {
    const plain = Buffer.from('all good here');
    const matchedOnly = coreProcessorFor(config)(bank)(plain, at, undefined);
    expect(matchedOnly.kind).toBe('unmatched');
    expect(matchedOnly.kind === 'unmatched' && matchedOnly.event).toBeUndefined();
    const all = coreProcessorFor({ ...config, emit: 'all' })(bank)(plain, at, undefined);
    expect(all.kind).toBe('unmatched');
    expect(all.kind === 'unmatched' && all.event?.faultline.matches).toEqual([]);
  });

  it('dead-letters records over the size limit and binary junk', () => {
    const p = coreProcessorFor(config)(bank);
    expect(p(Buffer.alloc(5000, 0x61), at, undefined)).toMatchObject({ kind: 'dead', reason: 'too-large' });
    expect(p(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6]), at, undefined)).toMatchObject({ kind: 'dead', reason: 'binary' });
  });

  it('matches invalid UTF-8 text instead of dead-lettering it', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20]); // "café " in Latin-1
    const out = coreProcessorFor(config)(bank)(Buffer.concat([latin1, Buffer.from(example)]), at, undefined);
    expect(out.kind).toBe('matched');
    expect(out.kind !== 'dead' && out.kind !== 'batch' && out.decoded.issues).toContain('invalid-utf8');
  });

  it('treats a tombstone (null value) as an empty, unmatched record', () => {
    expect(coreProcessorFor(config)(bank)(null, at, undefined).kind).toBe('unmatched');
  });
});
