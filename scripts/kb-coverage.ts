/**
 * The README's knowledge-base coverage section, generated from rules/ so that it cannot drift
 * from the KB: rules per ecosystem (top folder) and signal, examples, and rules per ecosystem ×
 * library × signal, the libraries and runtimes being the ones the rules name in their tags. Rewrites README.md between `<!-- kb-coverage:start -->`
 * and `<!-- kb-coverage:end -->`; `--check` writes nothing and exits 1 when that section is stale
 * (test/rules/kb-coverage.test.ts runs it, so CI fails on a rule added without regenerating).
 *
 *   npm run kb:coverage [-- --check] [--rules DIR] [--readme FILE]
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIo } from '../src/cli/rules-check.js';
import { loadRules } from '../src/kb/load.js';
import { problemLine } from '../src/kb/problem-text.js';
import { SIGNALS } from '../src/kb/types.js';
import type { Rule, Signal } from '../src/kb/types.js';

export const SECTION = 'kb-coverage';
const START = `<!-- ${SECTION}:start -->`;
const END = `<!-- ${SECTION}:end -->`;

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DEFAULT_RULES_DIR = path.join(REPO_ROOT, 'rules');
export const DEFAULT_README = path.join(REPO_ROOT, 'README.md');

/**
 * Tags that say what kind of failure or which layer a rule is about, not which library or
 * runtime prints it; left out of the libraries column. A new tag not listed here shows up as a
 * library in the regenerated README, where a reviewer sees it: add it here if it is generic.
 */
const GENERIC_TAGS: ReadonlySet<string> = new Set([
  'bulkhead',
  'circuit-breaker',
  'connection-acquisition',
  'connection-leak',
  'connection-limit',
  'connection-refused',
  'emfile',
  'enfile',
  'ephemeral-ports',
  'event-loop',
  'executor',
  'file-descriptors',
  'gc',
  'http',
  'listen-backlog',
  'network',
  'orphan-sockets',
  'pids-limit',
  'possible-pool-starvation',
  'queue',
  'resource-limits',
  'server',
  'syn-cookies',
  'tcp',
  'threadpool',
  'threads',
  'time-wait',
  'timeout',
  'web-server',
  'windows',
  'worker-pool',
  'worker-timeout',
]);

/** Rules of one library (or runtime, server) tag within one ecosystem. */
export interface LibraryCoverage {
  rules: number;
  signals: Record<Signal, number>;
  other: number;
}

/** The row of rules that name no library in their tags. */
export const NO_LIBRARY = '(no library tag)';

export interface EcosystemCoverage {
  name: string;
  rules: number;
  /** Rules per signal; a rule with two signals counts in both. */
  signals: Record<Signal, number>;
  /** Rules with none of the signals. */
  other: number;
  match: number;
  noMatch: number;
  /** Library/runtime tag → its rules; NO_LIBRARY for rules without one. */
  libraries: Map<string, LibraryCoverage>;
}

/** The ecosystem of a rule is the first folder under the rules directory. */
export function ecosystemOf(rule: Rule, rulesDir: string): string {
  const parts = path.relative(rulesDir, rule.file).split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : '(top level)';
}

const noSignals = (): Record<Signal, number> => Object.fromEntries(SIGNALS.map((s) => [s, 0])) as Record<Signal, number>;

function emptyCoverage(name: string): EcosystemCoverage {
  return { name, rules: 0, signals: noSignals(), other: 0, match: 0, noMatch: 0, libraries: new Map() };
}

function addToLibrary(into: Map<string, LibraryCoverage>, name: string, rule: Rule): void {
  let lib = into.get(name);
  if (lib === undefined) into.set(name, (lib = { rules: 0, signals: noSignals(), other: 0 }));
  lib.rules++;
  for (const signal of rule.signals) lib.signals[signal]++;
  if (rule.signals.length === 0) lib.other++;
}

function add(into: EcosystemCoverage, rule: Rule, libraries: readonly string[]): void {
  into.rules++;
  for (const signal of rule.signals) into.signals[signal]++;
  if (rule.signals.length === 0) into.other++;
  into.match += rule.examples?.match.length ?? 0;
  into.noMatch += rule.examples?.no_match.length ?? 0;
  for (const lib of libraries) addToLibrary(into.libraries, lib, rule);
}

/** Coverage per ecosystem, sorted by name, and the total (whose `libraries` stay empty). */
export function coverageOf(rules: readonly Rule[], rulesDir: string): { ecosystems: EcosystemCoverage[]; total: EcosystemCoverage } {
  const byName = new Map<string, EcosystemCoverage>();
  const total = emptyCoverage('total');
  const ecosystemNames = new Set(rules.map((rule) => ecosystemOf(rule, rulesDir)));
  for (const rule of rules) {
    const name = ecosystemOf(rule, rulesDir);
    let row = byName.get(name);
    if (row === undefined) byName.set(name, (row = emptyCoverage(name)));
    // An ecosystem's own name (or another's: `python` on a Node rule) is not a library.
    const libraries = rule.tags.filter(
      (tag) => !(SIGNALS as readonly string[]).includes(tag) && !GENERIC_TAGS.has(tag) && !ecosystemNames.has(tag),
    );
    add(row, rule, libraries.length > 0 ? libraries : [NO_LIBRARY]);
    add(total, rule, []);
  }
  const ecosystems = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return { ecosystems, total };
}

function countsRow(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The section body (without markers), Markdown. */
export function renderCoverage(rules: readonly Rule[], rulesDir: string): string {
  const { ecosystems, total } = coverageOf(rules, rulesDir);
  const numbers = (c: EcosystemCoverage): number[] => [...SIGNALS.map((s) => c.signals[s]), c.other, c.rules, c.match, c.noMatch];
  const lines = [
    'Generated from `rules/` by `npm run kb:coverage`; `npm test` fails when this section is stale.',
    'A rule with several signals counts once under each; **rules** counts it once.',
    '',
    countsRow(['ecosystem', ...SIGNALS.map((s) => `\`${s}\``), 'other / no signal', 'rules', 'match examples', 'no_match examples']),
    countsRow(['---', ...numbers(total).map(() => '---:')]),
    ...ecosystems.map((c) => countsRow([c.name, ...numbers(c)])),
    countsRow(['**total**', ...numbers(total).map((n) => `**${n}**`)]),
    '',
    'Distinct libraries per ecosystem and signal (library tags with at least one rule giving the signal):',
    '',
    countsRow(['ecosystem', ...SIGNALS.map((s) => `\`${s}\``)]),
    countsRow(['---', ...SIGNALS.map(() => '---:')]),
    ...ecosystems.map((c) => countsRow([c.name, ...SIGNALS.map((s) => librariesWith(c, s))])),
    '',
    'Rules per ecosystem × library × signal: the libraries, servers and runtimes are the ones named in the rules\' `tags`;',
    'a rule naming two libraries counts under both, one naming none under “' + NO_LIBRARY + '”.',
    '',
    countsRow(['ecosystem', 'library', ...SIGNALS.map((s) => `\`${s}\``), 'other / no signal', 'rules']),
    countsRow(['---', '---', ...SIGNALS.map(() => '---:'), '---:', '---:']),
    ...ecosystems.flatMap((c) => libraryRows(c)),
  ];
  return lines.join('\n');
}

/** How many library tags of the ecosystem have a rule giving `signal` (the no-library row excluded). */
export function librariesWith(c: EcosystemCoverage, signal: Signal): number {
  let n = 0;
  for (const [name, lib] of c.libraries) if (name !== NO_LIBRARY && lib.signals[signal] > 0) n++;
  return n;
}

/** One row per library of the ecosystem, alphabetical, the no-library row last; zeros shown as ·. */
function libraryRows(c: EcosystemCoverage): string[] {
  const names = [...c.libraries.keys()].filter((n) => n !== NO_LIBRARY).sort((a, b) => a.localeCompare(b, 'en'));
  if (c.libraries.has(NO_LIBRARY)) names.push(NO_LIBRARY);
  const cell = (n: number): string | number => (n === 0 ? '·' : n);
  return names.map((name) => {
    const lib = c.libraries.get(name) as LibraryCoverage;
    return countsRow([c.name, name, ...SIGNALS.map((s) => cell(lib.signals[s])), cell(lib.other), lib.rules]);
  });
}

/**
 * `text` with the section's body replaced (same layout as scripts/readme-sections.ts: markers on
 * their own lines around the body). A README without the markers gets the section appended; no
 * README at all becomes the section alone.
 */
export function withSection(text: string | undefined, body: string): string {
  const section = `${START}\n${body.trimEnd()}\n${END}`;
  if (text === undefined) return `${section}\n`;
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  if (i < 0 || j < i) return `${text.trimEnd()}\n\n${section}\n`;
  return `${text.slice(0, i)}${section}${text.slice(j + END.length)}`;
}

/** The section body for the rules in `rulesDir`; throws when any rule fails to load. */
export async function kbCoverageSection(rulesDir: string = DEFAULT_RULES_DIR): Promise<string> {
  const loaded = await loadRules([rulesDir]);
  if (loaded.problems.length > 0) {
    throw new Error(`rules do not load, the coverage would be wrong:\n${loaded.problems.map(problemLine).join('\n')}`);
  }
  return renderCoverage(loaded.rules, rulesDir);
}

/** Exit codes: 0 written or current, 1 stale (--check), 2 rules that do not load or bad usage. */
export async function runKbCoverage(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: { check: { type: 'boolean' }, rules: { type: 'string' }, readme: { type: 'string' } },
      strict: true,
    }).values;
  } catch (err) {
    io.stderr.write(`kb-coverage: ${(err as Error).message}\n`);
    return 2;
  }
  const rulesDir = path.resolve(args.rules ?? DEFAULT_RULES_DIR);
  const readme = path.resolve(args.readme ?? DEFAULT_README);
  let body: string;
  try {
    body = await kbCoverageSection(rulesDir);
  } catch (err) {
    io.stderr.write(`kb-coverage: ${(err as Error).message}\n`);
    return 2;
  }
  const current = existsSync(readme) ? await readFile(readme, 'utf8') : undefined;
  const next = withSection(current, body);
  if (args.check) {
    if (next === current) return 0;
    io.stderr.write(`kb-coverage: ${readme}: the ${SECTION} section is stale or missing: run \`npm run kb:coverage\`\n`);
    return 1;
  }
  if (next !== current) {
    await writeFile(readme, next);
    io.stderr.write(`kb-coverage: ${readme} updated\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runKbCoverage(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
