/**
 * npm run bench:match's all-rules case, broken down by stage (literal scan, waking candidates,
 * RE2.Set, candidate regexes): for work on the bank's hot path. Same corpus as bench/match.ts.
 * Run: node --expose-gc --import tsx bench/match-profile.ts
 */
import { buildBank } from '../src/match/bank.js';
import { StampSet } from '../src/match/stamp-set.js';
import { buildRecords, loadBackground, withoutMatches } from './corpus.js';
import { bestRate, fmtInt } from './measure.js';
import { loadBenchRules } from './rules-source.js';

const source = await loadBenchRules();
const rules = source.rules.map((r) => r.rule);
const background = loadBackground();
const full = buildBank(rules).bank;
const quiet = withoutMatches(background, (line) => full.match(line).length > 0);
full.close();
const signatures = source.rules.flatMap((c) => (c.signature === undefined ? [] : [c.signature]));
const records = buildRecords(quiet.background, signatures, { count: 20_000, targetBytes: 556, signatureShare: 0.01, seed: 11 });

const { bank } = buildBank(rules);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const b = bank as any;
const prefilter = b.prefilter;
const scanner = prefilter.scanner;
const unfiltered = b.unfiltered;
console.log(`stats ${JSON.stringify(bank.stats)}; scanner states ${scanner.states} width ${scanner.width} bytes ${scanner.bytes}`);
if (unfiltered) for (const c of unfiltered.chunks) console.log('unfiltered:', c.patterns.map((p: { source: string }) => p.source));

const us = (rate: number): string => (1e6 / rate).toFixed(2);
const budget = Number(process.env.BUDGET ?? 3000);
const measure = (name: string, pass: () => void): number => {
  const r = bestRate(records.length, budget, pass).cpu;
  console.log(`${name.padEnd(28)} ${fmtInt(r).padStart(9)} rec/s per CPU-s  ${us(r)} µs/rec`);
  return r;
};

let scanned = 0;
measure('scan', () => {
  for (const r of records) scanned += scanner.scan(r);
});
const cand = new StampSet(bank.stats.patterns);
let nc = 0;
measure('scan+wake (candidates)', () => {
  for (const r of records) {
    cand.clear();
    prefilter.candidates(r, cand);
    nc += cand.size;
  }
});
if (unfiltered) {
  const bufs = records.map((r) => Buffer.from(r, 'utf8'));
  measure('unfiltered set (Buffer given)', () => {
    for (const u of bufs) {
      cand.clear();
      unfiltered.match(u, cand);
    }
  });
}
measure('Buffer.from', () => {
  for (const r of records) Buffer.from(r, 'utf8');
});
measure('bank.match', () => {
  for (const r of records) bank.match(r);
});
let prefCand = 0;
for (const r of records) {
  cand.clear();
  prefilter.candidates(r, cand);
  prefCand += cand.size;
}
let found = 0;
for (const r of records) found += scanner.scan(r);
console.log(`atoms found/rec ${(found / records.length).toFixed(2)}; prefilter candidates/rec ${(prefCand / records.length).toFixed(3)}`);
const gates = prefilter.gates as { test(t: string): boolean }[];
let gh = 0;
measure(`gates (${gates.length})`, () => {
  for (const r of records) for (const g of gates) if (g.test(r)) gh++;
});
