/** The rule-by-rule loop every baseline runs: each record against each rule's regexes in turn. */

export interface Tester {
  test(text: string): boolean;
}

export interface LoopReport {
  records: number;
  ms: number;
  matches: number;
  /** Set when the engine threw mid-run (re2-wasm aborts). */
  died?: string;
}

/** Stops after `budgetMs`; `onRecord` hears the running count (progress for a watchdog). */
export function ruleByRule(
  rules: Tester[][],
  records: readonly string[],
  budgetMs: number,
  onRecord: (done: number) => void = () => undefined,
): LoopReport {
  let matches = 0;
  let done = 0;
  const started = performance.now();
  try {
    for (const record of records) {
      for (const patterns of rules) {
        for (const p of patterns) {
          if (p.test(record)) {
            matches++;
            break;
          }
        }
      }
      done++;
      onRecord(done);
      if (performance.now() - started > budgetMs) break;
    }
  } catch (err) {
    const died = err instanceof Error ? err.message : String(err);
    return { records: done, ms: performance.now() - started, matches, died };
  }
  return { records: done, ms: performance.now() - started, matches };
}

/** Compiles each rule's regexes with `compile`; those it cannot compile are left out and counted. */
export function compileRules(
  rules: string[][],
  compile: (regex: string) => Tester | null,
): { testers: Tester[][]; compiled: number; skipped: number } {
  let compiled = 0;
  let skipped = 0;
  const testers = rules.map((patterns) =>
    patterns.flatMap((regex) => {
      let t: Tester | null = null;
      try {
        t = compile(regex);
      } catch {
        t = null;
      }
      if (t === null) skipped++;
      else compiled++;
      return t === null ? [] : [t];
    }),
  );
  return { testers, compiled, skipped };
}
