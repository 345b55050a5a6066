/**
 * The service label is the only label whose value comes from log records, so it is the one that
 * can blow up Prometheus: a producer that puts a request id into `service` would otherwise create
 * a series per request. Values are sanitised, and only the first `limit` distinct ones get their
 * own label value; later newcomers are counted as `other`.
 */

/** Records with no (usable) service. Also the service value of the series created at start-up. */
export const UNKNOWN_SERVICE = 'unknown';
/** Services beyond the cardinality limit. */
export const OTHER_SERVICE = 'other';

export const MAX_SERVICE_LENGTH = 64;

/**
 * Drops control, format and unassigned characters (a newline or NUL has no business in a label),
 * collapses whitespace and caps the length in code points so a surrogate pair is never split.
 */
export function sanitizeService(raw: string | undefined): string {
  if (raw === undefined) return UNKNOWN_SERVICE;
  const cleaned = raw.replace(/\p{C}+/gu, ' ').replace(/\s+/gu, ' ').trim();
  if (cleaned.length === 0) return UNKNOWN_SERVICE;
  const points = Array.from(cleaned);
  return points.length <= MAX_SERVICE_LENGTH ? cleaned : points.slice(0, MAX_SERVICE_LENGTH).join('').trimEnd();
}

export class ServiceLabels {
  private readonly admitted = new Set<string>();

  /** `onOverflow` is called once per record whose service was folded into `other`. */
  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
  ) {}

  label(raw: string | undefined): string {
    const value = sanitizeService(raw);
    // `unknown` is always there (start-up series), so it does not use up the budget.
    if (value === UNKNOWN_SERVICE || this.admitted.has(value)) return value;
    if (this.admitted.size < this.limit) {
      this.admitted.add(value);
      return value;
    }
    this.onOverflow();
    return OTHER_SERVICE;
  }

  get distinct(): number {
    return this.admitted.size;
  }
}
