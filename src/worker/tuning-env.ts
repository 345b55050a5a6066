/**
 * FAULTLINE_TUNING: a JSON object of internal worker knobs (fetch size per partition, session
 * timeout, …) for tests and benchmarks. Not an operator setting: anything unknown or invalid is
 * ignored with a warning, never fatal.
 */
export function tuningFromEnv<K extends string>(
  raw: string | undefined,
  known: readonly K[],
  warn: (message: string) => void,
): Partial<Record<K, number>> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    warn('FAULTLINE_TUNING is not JSON: ignored');
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    warn('FAULTLINE_TUNING is not a JSON object: ignored');
    return {};
  }
  const out: Partial<Record<K, number>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(known as readonly string[]).includes(key)) warn(`FAULTLINE_TUNING.${key} is not a tuning knob: ignored`);
    else if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) warn(`FAULTLINE_TUNING.${key} must be a positive integer: ignored`);
    else out[key as K] = value;
  }
  return out;
}
