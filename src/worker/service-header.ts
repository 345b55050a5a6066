import type { Headers } from '../kafka/types.js';

/**
 * Header names that name the producing service, tried in order (compared case-insensitively).
 * Used only when the record itself names no service.
 */
export const SERVICE_HEADERS: readonly string[] = ['service', 'service.name', 'service_name'];

/** A header value is untrusted input and becomes a metric label: keep it short. */
const MAX_SERVICE_CHARS = 200;

export function serviceFromHeaders(headers: Headers | undefined): string | undefined {
  if (headers === undefined) return undefined;
  // Called for every record, and most have no headers: no allocation on that path.
  let best: string | undefined;
  let bestRank = SERVICE_HEADERS.length;
  for (const key in headers) {
    const rank = SERVICE_HEADERS.indexOf(key.toLowerCase());
    if (rank < 0 || rank >= bestRank) continue;
    const service = headerText(headers[key]);
    if (service === undefined) continue;
    best = service;
    bestRank = rank;
  }
  return best;
}

function headerText(value: Headers[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = (typeof first === 'string' ? first : first.toString('utf8')).trim();
  if (text === '' || text.includes('\uFFFD')) return undefined;
  return text.length > MAX_SERVICE_CHARS ? text.slice(0, MAX_SERVICE_CHARS) : text;
}
