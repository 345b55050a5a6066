/**
 * The JSON of a tagged event `{ ...base, faultline: block }`, equal to JSON.stringify of it, made
 * from its parts: the record's own event is serialised once, and each match's rule part (its
 * root cause, workaround, tags: most of a tagged event's bytes) is serialised once per rule and
 * reused, only the span being written per event. Whatever the fast path cannot vouch for (a base
 * that carries its own `faultline` key, a toJSON, an array, a match entry that is not a rule's
 * entry as built) goes through JSON.stringify as a whole. test/tag/event-json.test.ts checks the
 * two agree.
 */
import { ruleInfoJson } from './match-info.js';
import type { FaultlineBlock, MatchInfo } from './types.js';

export function taggedEventJson(base: Record<string, unknown>, block: FaultlineBlock): string {
  const proto = Object.getPrototypeOf(base) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(base, 'faultline') || typeof base.toJSON === 'function') {
    return JSON.stringify({ ...base, faultline: block });
  }
  const head = JSON.stringify(base);
  const tail = blockJson(block);
  return head.length === 2 ? `{"faultline":${tail}}` : `${head.slice(0, -1)},"faultline":${tail}}`;
}

function blockJson(block: FaultlineBlock): string {
  if (Object.getPrototypeOf(block) !== Object.prototype || typeof (block as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(block);
  let out = '{';
  for (const key of Object.keys(block)) {
    const value = (block as unknown as Record<string, unknown>)[key];
    const json = key === 'matches' && Array.isArray(value) ? matchesJson(value as MatchInfo[]) : JSON.stringify(value);
    if (json === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
}

function matchesJson(matches: readonly MatchInfo[]): string {
  let out = '[';
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i] as MatchInfo;
    const prefix = Object.getPrototypeOf(m) === Object.prototype ? ruleInfoJson(m) : undefined;
    // A hole or undefined entry is null in an array, as JSON.stringify writes it.
    const json = prefix === undefined ? (JSON.stringify(m) ?? 'null') : `${prefix},"span":${JSON.stringify(m.span) ?? 'null'}}`;
    out += i === 0 ? json : `,${json}`;
  }
  return `${out}]`;
}
