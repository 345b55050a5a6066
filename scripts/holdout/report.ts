/**
 * The holdout report: recall per signal, per ecosystem and per locale, the hard negatives that
 * got a signal, and the misses. By default the misses are named by id, ecosystem and library
 * only, so that a rule author shown the report is not handed the texts to tune to; `show`
 * adds the texts (for the lead).
 */
import { SIGNALS, type Signal } from '../../src/kb/types.js';
import type { EntryResult } from './measure.js';

export interface Tally {
  entries: number;
  hit: number;
}

export interface HoldoutSummary {
  positives: number;
  negatives: number;
  /** Entries left out of the figures because their text is among the rules' examples. */
  excluded: string[];
  overall: Tally;
  perSignal: Record<Signal, Tally>;
  perEcosystem: Map<string, Tally & { perSignal: Record<Signal, Tally> }>;
  perLocale: Map<string, Tally>;
  negativeHits: EntryResult[];
  misses: EntryResult[];
}

const emptyTally = (): Tally => ({ entries: 0, hit: 0 });
const signalTallies = (): Record<Signal, Tally> => Object.fromEntries(SIGNALS.map((s) => [s, emptyTally()])) as Record<Signal, Tally>;

export function summarise(positives: readonly EntryResult[], negatives: readonly EntryResult[], excluded: ReadonlySet<string>): HoldoutSummary {
  const summary: HoldoutSummary = {
    positives: positives.length,
    negatives: negatives.length,
    excluded: [...positives, ...negatives].filter((r) => excluded.has(r.entry.id)).map((r) => r.entry.id),
    overall: emptyTally(),
    perSignal: signalTallies(),
    perEcosystem: new Map(),
    perLocale: new Map(),
    negativeHits: [],
    misses: [],
  };
  for (const r of positives) {
    if (excluded.has(r.entry.id)) continue;
    summary.overall.entries++;
    if (r.pass) summary.overall.hit++;
    else summary.misses.push(r);
    let eco = summary.perEcosystem.get(r.entry.ecosystem);
    if (eco === undefined) summary.perEcosystem.set(r.entry.ecosystem, (eco = { ...emptyTally(), perSignal: signalTallies() }));
    eco.entries++;
    if (r.pass) eco.hit++;
    for (const s of r.entry.signals) {
      const given = r.got.includes(s);
      summary.perSignal[s].entries++;
      eco.perSignal[s].entries++;
      if (given) {
        summary.perSignal[s].hit++;
        eco.perSignal[s].hit++;
      }
    }
    const locale = r.entry.locale ?? 'en';
    let loc = summary.perLocale.get(locale);
    if (loc === undefined) summary.perLocale.set(locale, (loc = emptyTally()));
    loc.entries++;
    if (r.pass) loc.hit++;
  }
  for (const r of negatives) if (!excluded.has(r.entry.id) && !r.pass) summary.negativeHits.push(r);
  return summary;
}

export function percent(t: Tally): string {
  return t.entries === 0 ? '—' : `${((100 * t.hit) / t.entries).toFixed(1)}%`;
}

function cell(t: Tally): string {
  return t.entries === 0 ? '—' : `${t.hit}/${t.entries} (${percent(t)})`;
}

const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

function quoted(text: string): string {
  const one = text.replace(/\n/g, '⏎');
  return JSON.stringify(one.length > 300 ? `${one.slice(0, 300)}…` : one);
}

function describe(r: EntryResult, show: boolean): string {
  const e = r.entry;
  const expected = e.signals.length === 0 ? 'none' : e.signals.join('+');
  const got = r.got.length === 0 ? 'none' : r.got.join('+');
  const base = `- ${e.id} · ${e.ecosystem} · ${e.library} · expected ${expected}, got ${got}${r.ruleIds.length > 0 ? ` (${r.ruleIds.join(', ')})` : ''}`;
  return show ? `${base}\n  ${quoted(e.text)}\n  ${e.source}` : base;
}

/** Markdown: tables first (they go into the README), then the lists. */
export function renderReport(s: HoldoutSummary, opts: { show: boolean; title: string }): string {
  const ecosystems = [...s.perEcosystem.entries()].sort(([a], [b]) => a.localeCompare(b, 'en'));
  const locales = [...s.perLocale.entries()].filter(([l]) => l !== 'en').sort(([a], [b]) => a.localeCompare(b, 'en'));
  const lines = [
    `${opts.title}: ${s.positives} positives, ${s.negatives} hard negatives` +
      (s.excluded.length > 0 ? `; ${s.excluded.length} left out because the rules' examples hold their text or cite their source (${s.excluded.join(', ')})` : ''),
    '',
    row(['signal', 'recall']),
    row(['---', '---:']),
    ...SIGNALS.map((sig) => row([`\`${sig}\``, cell(s.perSignal[sig])])),
    row(['**all positives** (every expected signal)', `**${cell(s.overall)}**`]),
    row(['**hard negatives with a signal**', `**${s.negativeHits.length}/${s.negatives - s.excluded.filter((id) => id.startsWith('neg-')).length}**`]),
    '',
    row(['ecosystem', 'recall', ...SIGNALS.map((sig) => `\`${sig}\``)]),
    row(['---', '---:', ...SIGNALS.map(() => '---:')]),
    ...ecosystems.map(([name, t]) => row([name, cell(t), ...SIGNALS.map((sig) => cell(t.perSignal[sig]))])),
  ];
  if (locales.length > 0) {
    lines.push('', row(['locale (non-English texts)', 'recall']), row(['---', '---:']), ...locales.map(([l, t]) => row([l, cell(t)])));
  }
  lines.push('', `Hard negatives that got a signal (${s.negativeHits.length}):`, ...s.negativeHits.map((r) => describe(r, opts.show)));
  lines.push('', `Positives missed (${s.misses.length})${opts.show ? '' : ' — texts withheld, `--show` prints them'}:`, ...s.misses.map((r) => describe(r, opts.show)));
  return `${lines.join('\n')}\n`;
}
