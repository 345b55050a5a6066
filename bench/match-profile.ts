/**
 * The all-rules case of bench/match.ts broken down by stage, for work on the bank's hot path:
 * literal scan, scan + waking candidates (+ gates), gates alone, RE2.Set, Buffer.from, and the
 * whole bank.match. Same corpus as bench/match.ts; rates per CPU second, best pass.
 * Run: node --expose-gc --import tsx bench/match-profile.ts   (BUDGET=ms per stage, default 3000)
 */
import { buildBank } from '../src/match/bank.js';
import { StampSet } from '../src/match/stamp-set.js';
import { buildRecords, loadBackground, withoutMatches } from './corpus.js';
import { bestRate, fmtInt } from './measure.js';
import { loadBenchRules } from './rules-source.js';

/** The bank's private parts this profile reaches into. */
interface Internals {
  prefilter: {
    scanner: { states: number; width: number; bytes: number; scan(text: string): number };
    gates: { test(text: string): boolean }[];
    candidates(text: string, into: StampSet): void;
  } | null;
  unfiltered: { chunks: { patterns: { source: string }[] }[]; match(utf8: Buffer, into: StampSet): void } | null;
}

const source = await loadBenchRules();
const rules = source.rules.map((r) => r.rule);
const background = loadBackground();
const full = buildBank(rules).bank;
const quiet = withoutMatches(background, (line) => full.match(line).length > 0);
full.close();
const signatures = source.rules.flatMap((c) => (c.signature === undefined ? [] : [c.signature]));
const records = buildRecords(quiet.background, signatures, { count: 20_000, targetBytes: 556, signatureShare: 0.01, seed: 11 });

const { bank } = buildBank(rules);
const { prefilter, unfiltered } = bank as unknown as Internals;
const scanner = prefilter?.scanner;
console.log(`stats ${JSON.stringify(bank.stats)}`);
if (scanner) console.log(`scanner: ${scanner.states} states × ${scanner.width} columns, ${fmtInt(scanner.bytes)} bytes`);
for (const c of unfiltered?.chunks ?? []) console.log('via RE2.Set:', c.patterns.map((p) => p.source));

const budget = Number(process.env.BUDGET ?? 3000);
const measure = (name: string, pass: () => void): void => {
  const r = bestRate(records.length, budget, pass).cpu;
  console.log(`${name.padEnd(30)} ${fmtInt(r).padStart(10)} rec/s per CPU-s  ${(1e6 / r).toFixed(2)} µs/rec`);
};

let sink = 0;
const into = new StampSet(Math.max(bank.stats.patterns, 1));
if (prefilter && scanner) {
  measure('scan', () => {
    for (const r of records) sink += scanner.scan(r);
  });
  measure('scan + wake + gates', () => {
    for (const r of records) {
      into.clear();
      prefilter.candidates(r, into);
      sink += into.size;
    }
  });
  measure(`gates alone (${prefilter.gates.length})`, () => {
    for (const r of records) for (const g of prefilter.gates) if (g.test(r)) sink++;
  });
}
if (unfiltered) {
  const utf8 = records.map((r) => Buffer.from(r, 'utf8'));
  measure('RE2.Set (Buffer given)', () => {
    for (const u of utf8) {
      into.clear();
      unfiltered.match(u, into);
    }
  });
}
measure('Buffer.from', () => {
  for (const r of records) sink += Buffer.from(r, 'utf8').length;
});
measure('bank.match', () => {
  for (const r of records) sink += bank.match(r).length;
});
let candidates = 0;
for (const r of records) {
  into.clear();
  prefilter?.candidates(r, into);
  candidates += into.size;
}
console.log(`prefilter candidates per record: ${(candidates / records.length).toFixed(3)} (${sink > 0 ? 'ok' : ''})`);
