/**
 * Run by match.ts in a fresh process (argument: how many rules): the RSS of a process that holds
 * what the service holds — the loaded KB and its bank — after matching the bench corpus three
 * times, free of the bench's own data. Prints one JSON line.
 */
import { buildBank } from '../src/match/bank.js';
import { buildRecords, loadBackground } from './corpus.js';
import { sampleInOrder, seededRandom } from './random.js';
import { loadBenchRules } from './rules-source.js';

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const mb = (n: number): number => Math.round(n / (1024 * 1024));

const source = await loadBenchRules();
const size = Number(process.argv[2] ?? source.rules.length);
// The same sample as match.ts takes for this size.
const chosen = size >= source.rules.length ? source.rules : sampleInOrder(source.rules, size, seededRandom(size));
const background = loadBackground();
const records = buildRecords(
  background,
  chosen.flatMap((r) => (r.signature === undefined ? [] : [r.signature])),
  { count: 20_000, targetBytes: 556, signatureShare: 0.01, seed: 11 },
);
const rules = chosen.map((r) => r.rule);
background.files.length = 0;
gc();
const beforeBank = process.memoryUsage().rss;
const { bank } = buildBank(rules);
for (let pass = 0; pass < 3; pass++) for (const r of records) bank.match(r);
gc();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    rules: bank.stats.rules,
    rssBeforeBankMb: mb(beforeBank),
    rssMb: mb(after.rss),
    heapUsedMb: mb(after.heapUsed),
    externalMb: mb(after.external),
  }),
);
