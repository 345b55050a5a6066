/**
 * The measurement behind the choice of multi-literal scanner (src/match/literal-scanner.ts):
 * the bank's atoms found by its Aho-Corasick automaton vs by an RE2.Set of the escaped atoms
 * (case-insensitive), on the same records. Both must find the same atoms; the report says how
 * fast each is and whether the Set could run at all.
 */
import RE2 from 're2';
import type { Rule } from '../src/kb/types.js';
import { compilePattern, re2Syntax } from '../src/match/compile.js';
import { LiteralScanner } from '../src/match/literal-scanner.js';
import { extractPrefilter, type Condition } from '../src/match/prefilter.js';
import { bestRate } from './measure.js';

export interface ScannerComparison {
  atoms: number;
  acRecordsPerSec: number;
  setRecordsPerSec: number | null;
  setFailure: string | null;
  sameAtoms: boolean;
}

function collectAtoms(c: Condition, into: Set<string>): void {
  if (c.op === 'atom') into.add(c.text);
  else if (c.op === 'and' || c.op === 'or') for (const item of c.items) collectAtoms(item, into);
}

export function compareLiteralScanners(rules: readonly Rule[], records: readonly string[], budgetMs: number): ScannerComparison {
  const atomSet = new Set<string>();
  for (const rule of rules) {
    for (const p of rule.patterns) {
      try {
        const found = extractPrefilter(re2Syntax(compilePattern(p.regex)));
        if (found.kind === 'prefilter') collectAtoms(found.condition, atomSet);
      } catch {
        // a regex RE2 rejects has no atoms
      }
    }
  }
  const atoms = [...atomSet];
  const ac = new LiteralScanner(atoms.map((text, owner) => ({ text, owner })));
  const acRate = bestRate(records.length, budgetMs, () => {
    for (const r of records) ac.scan(r);
  });

  let set: InstanceType<typeof RE2.Set> | null = null;
  let setFailure: string | null = null;
  try {
    set = new RE2.Set(
      atoms.map((a) => '(?i)' + a.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')),
      'u',
    );
  } catch (err) {
    setFailure = err instanceof Error ? err.message : String(err);
  }
  let setRate: number | null = null;
  let sameAtoms = true;
  if (set !== null) {
    const s = set;
    try {
      setRate = bestRate(records.length, budgetMs, () => {
        for (const r of records) s.match(Buffer.from(r, 'utf8'));
      }).wall;
      for (const r of records.slice(0, 500)) {
        const n = ac.scan(r);
        const fromAc = Array.from(ac.found.subarray(0, n)).sort((a, b) => a - b);
        if (fromAc.join() !== s.match(Buffer.from(r, 'utf8')).join()) sameAtoms = false;
      }
    } catch (err) {
      setFailure = err instanceof Error ? err.message : String(err);
    }
  }
  return { atoms: atoms.length, acRecordsPerSec: acRate.wall, setRecordsPerSec: setRate, setFailure, sameAtoms };
}
