import { SIGNALS, type Signal } from '../kb/types.js';

/** What `scan` counts while it reads; printed on stderr at the end. */
export class ScanSummary {
  records = 0;
  matched = 0;
  bytes = 0;
  readonly perRule = new Map<string, number>();
  readonly perSignal = new Map<Signal, number>(SIGNALS.map((s) => [s, 0]));
  readonly issues = new Map<string, number>();
  private readonly started = process.hrtime.bigint();

  addIssue(issue: string): void {
    this.issues.set(issue, (this.issues.get(issue) ?? 0) + 1);
  }

  addMatch(ruleIds: readonly string[], signals: readonly Signal[]): void {
    this.matched++;
    for (const id of ruleIds) this.perRule.set(id, (this.perRule.get(id) ?? 0) + 1);
    for (const s of signals) this.perSignal.set(s, (this.perSignal.get(s) ?? 0) + 1);
  }

  seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  toJSON(): Record<string, unknown> {
    const seconds = this.seconds();
    return {
      records: this.records,
      matched: this.matched,
      bytes: this.bytes,
      seconds: Number(seconds.toFixed(3)),
      recordsPerSecond: Math.round(this.records / Math.max(seconds, 1e-9)),
      signals: Object.fromEntries(this.perSignal),
      rules: Object.fromEntries([...this.perRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      issues: Object.fromEntries(this.issues),
    };
  }

  /** Human-readable, for stderr. */
  render(): string {
    const s = this.toJSON() as { seconds: number; recordsPerSecond: number };
    const mb = this.bytes / 1e6;
    const lines = [
      `faultline scan: ${this.records} records, ${mb.toFixed(1)} MB in ${s.seconds.toFixed(2)} s ` +
        `(${s.recordsPerSecond} records/s, ${(mb / Math.max(s.seconds, 1e-9)).toFixed(1)} MB/s); ${this.matched} matched`,
      `  signals: ${[...this.perSignal].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ];
    const rules = [...this.perRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [id, n] of rules) lines.push(`  ${String(n).padStart(8)}  ${id}`);
    const issues = [...this.issues].map(([k, v]) => `${k} ${v}`);
    if (issues.length > 0) lines.push(`  input issues: ${issues.join(', ')}`);
    return `${lines.join('\n')}\n`;
  }
}
