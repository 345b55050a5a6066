/**
 * Reads the few numbers the demo prints out of the worker's /metrics (Prometheus text format):
 * families summed over all their label sets.
 */
export function sumFamilies(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{.*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = Number(m[2]);
    if (!Number.isFinite(value)) continue;
    const name = m[1] as string;
    sums.set(name, (sums.get(name) ?? 0) + value);
  }
  return sums;
}

export const SIGNAL_FAMILIES = {
  'pool-starvation': 'faultline_pool_starvation_events_total',
  'socket-exhaustion': 'faultline_socket_exhaustion_events_total',
  'thread-starvation': 'faultline_thread_starvation_events_total',
} as const;

export interface DemoCounts {
  consumed: number;
  matched: number;
  signals: Record<keyof typeof SIGNAL_FAMILIES, number>;
  ready: boolean;
}

export function demoCounts(text: string): DemoCounts {
  const sums = sumFamilies(text);
  const get = (name: string) => sums.get(name) ?? 0;
  return {
    consumed: get('faultline_records_consumed_total'),
    matched: get('faultline_records_matched_total'),
    signals: {
      'pool-starvation': get(SIGNAL_FAMILIES['pool-starvation']),
      'socket-exhaustion': get(SIGNAL_FAMILIES['socket-exhaustion']),
      'thread-starvation': get(SIGNAL_FAMILIES['thread-starvation']),
    },
    ready: get('faultline_ready') === 1,
  };
}

/** One line of the live display, e.g. "[  10s] in 245 (+98)  matched 33  | pool-starvation 30 …". */
export function countsLine(elapsedS: number, counts: DemoCounts, previous: DemoCounts | undefined): string {
  const delta = previous === undefined ? '' : ` (+${counts.consumed - previous.consumed})`;
  const signals = Object.entries(counts.signals)
    .map(([name, n]) => `${name} ${n}`)
    .join('  ');
  return `[${String(Math.round(elapsedS)).padStart(4)}s] records in ${counts.consumed}${delta}  matched ${counts.matched}  | ${signals}  | worker ${counts.ready ? 'ready' : 'not ready'}`;
}
