/**
 * tagEvent: a decoded record and the rules it matched become the event written back to Kafka
 * (or printed by scan): the record itself plus a `faultline` block. Pure: the decoded event is
 * not modified.
 */

import { SIGNALS, type Rule, type Signal } from '../kb/types.js';
import type { DecodedRecord } from '../decode/types.js';
import type { RuleMatch } from '../match/types.js';
import { ruleInfo } from './match-info.js';
import type { EventSource, FaultlineBlock, MatchInfo, TaggedEvent } from './types.js';

/** The signals of all matches, each once, in the order of SIGNALS (stable output, stable metrics). */
function unionSignals(matches: readonly MatchInfo[]): Signal[] {
  if (matches.length === 0) return [];
  if (matches.length === 1) return [...(matches[0] as MatchInfo).signals];
  const seen = new Set<Signal>();
  for (const m of matches) for (const s of m.signals) seen.add(s);
  return SIGNALS.filter((s) => seen.has(s));
}

/**
 * `matches` come from the bank (rule indices into `rules`); a rule is listed once even if the
 * bank reported it twice, and indices outside `rules` are ignored. An existing `faultline` key
 * (our own output read again) is replaced, never nested.
 */
export function tagEvent(
  decoded: DecodedRecord,
  matches: readonly RuleMatch[],
  rules: readonly Rule[],
  source: EventSource,
): TaggedEvent {
  const infos: MatchInfo[] = [];
  const seen: number[] = [];
  for (const m of matches) {
    const rule = rules[m.rule];
    if (rule === undefined || seen.includes(m.rule)) continue;
    seen.push(m.rule);
    infos.push({ ...ruleInfo(rule), span: [m.start, m.end] });
  }
  const block: FaultlineBlock = { matches: infos, signals: unionSignals(infos), source };
  if (decoded.service !== undefined) block.service = decoded.service;
  return { ...decoded.event, faultline: block };
}

/** Where a `scan` record came from. */
export function fileSource(file: string, line: number, lines = 1): EventSource {
  return lines > 1 ? { kind: 'file', file, line, lines } : { kind: 'file', file, line };
}

/** Where a worker record came from; the offset is a string (Kafka offsets exceed 2^53). */
export function kafkaSource(topic: string, partition: number, offset: string, timestamp?: string, index?: number): EventSource {
  const source: EventSource = { kind: 'kafka', topic, partition, offset };
  if (timestamp !== undefined) source.timestamp = timestamp;
  if (index !== undefined) source.index = index;
  return source;
}
