/**
 * The match stage's reading of a record: its text as it is, and the views of it that undo what
 * the world did to the message on its way to us (joined-lines.ts: line breaks a terminal, a
 * viewer or the decoder put into it; unescaped-view.ts: the escapes of a format it was quoted
 * in; typography-view.ts: the no-break spaces, curly quotes and full-width forms of a rendered
 * page; spacing-view.ts: tabs and runs of spaces between words; prefix-view.ts: the prefix a
 * collector put on every line). A rule that matches a view but not the text is a hit too, with its span mapped back to
 * the text. The bank itself stays exact (its results equal testing each rule on the text, which
 * its property tests check); scan, the worker, the matcher threads and `rules test` all read
 * records through `matchRecordText`, so examples test what runs.
 */
import { joinedViews } from './joined-lines.js';
import { prefixView } from './prefix-view.js';
import { spacingView } from './spacing-view.js';
import { composeViews, type TextView } from './text-view.js';
import type { MatcherBank, RuleMatch } from './types.js';
import { typographyView } from './typography-view.js';
import { unescapedView } from './unescaped-view.js';

/** The views of `text` besides itself; empty for most records (one line, nothing escaped). */
export function recordViews(text: string): TextView[] {
  const views: TextView[] = joinedViews(text);
  const spaced = spacingView(text);
  if (spaced !== undefined) {
    views.push(spaced);
    // A wrapped message whose spacing is odd too: the first joined view (breaks as spaces),
    // respaced; the other joined views are the unspaced text's.
    const joined = views[0];
    if (joined !== undefined && joined !== spaced) {
      const respaced = spacingView(joined.text);
      if (respaced !== undefined) views.push(composeViews(joined, respaced));
    }
  }
  const unprefixed = prefixView(text);
  if (unprefixed !== undefined) {
    views.push(unprefixed);
    for (const joined of joinedViews(unprefixed.text)) views.push(composeViews(unprefixed, joined));
  }
  const unescaped = unescapedView(text);
  if (unescaped !== undefined) {
    views.push(unescaped);
    // An escaped `\n` is a line break in the view: its lines may be wrapped ones too.
    for (const joined of joinedViews(unescaped.text)) views.push(composeViews(unescaped, joined));
  }
  const folded = typographyView(text);
  if (folded !== undefined) {
    views.push(folded);
    // Same offsets: the folded text's joined views map back through the fold unchanged.
    views.push(...joinedViews(folded.text));
  }
  return views;
}

/** The matches of `text`: the bank's, plus those of its views (`recordViews`), in rule order. */
export function matchRecordText(bank: MatcherBank, text: string): RuleMatch[] {
  const direct = bank.match(text);
  const views = recordViews(text);
  if (views.length === 0) return direct;
  let merged: RuleMatch[] | undefined;
  for (const view of views) {
    for (const m of bank.match(view.text)) {
      if (direct.some((d) => d.rule === m.rule) || merged?.some((d) => d.rule === m.rule)) continue;
      merged ??= [];
      merged.push({ rule: m.rule, pattern: m.pattern, start: view.original(m.start), end: view.original(m.end) });
    }
  }
  if (merged === undefined) return direct;
  // Bank order is rule order; callers (tagging, metrics' tie-break) rely on it.
  return [...direct, ...merged].sort((a, b) => a.rule - b.rule);
}
