/**
 * Turns a mined template and its example messages into a draft rule in the seed's flat format:
 * an RE2 regex made from the template (constant tokens escaped, each variable a bounded class,
 * spacing as in the first example), the examples as `examples.match`, and every field a person
 * must judge (root cause, workarounds, signal tags) marked TODO. Pure.
 */
import { WILDCARD } from './mask.js';
import { DEFAULT_MINER_OPTIONS } from './miner.js';
import { isSeparator, tokenize } from './tokenize.js';

/** What marks a field a person must fill before the rule is used. */
export const TODO = 'TODO(faultline rules suggest)';

export interface SuggestInput {
  /** Template tokens (WILDCARD for variables), as the miner holds them. */
  tokens: readonly string[];
  /** Messages of the template; the first decides the spacing. At least one. */
  examples: readonly { text: string; source?: string }[];
  /** Rule id; default `unknown/<words of the template>`. */
  id?: string;
  today?: string;
}

/** Longest a variable may be: bounded so that the regex stays cheap on huge lines. */
const MAX_VARIABLE = 200;
/** Characters a variable never holds: the tokenizer splits on them. */
const VARIABLE_CLASS = `[^\\s=,()\\[\\]{}";]{1,${MAX_VARIABLE}}`;
const DIGITS_CLASS = '[0-9]{1,20}';

export class SuggestError extends Error {}

export function suggestRule(input: SuggestInput): Record<string, unknown> {
  const first = input.examples[0];
  if (first === undefined) throw new SuggestError('no example message for the template');
  const regex = regexFor(input.tokens, input.examples.map((e) => e.text));
  const words = input.tokens.filter((t) => t !== WILDCARD && !isSeparator(t) && /^[A-Za-z][A-Za-z_-]*$/.test(t));
  const id = input.id ?? `unknown/${slug(words) || 'template'}`;
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  return {
    id,
    signature: first.text.slice(0, 500),
    regex,
    domain: id.split('/')[0],
    category: `${TODO}: e.g. resource_exhaustion, network_error, configuration`,
    subcategory: null,
    root_cause: `${TODO}: why this error happens`,
    root_cause_type: 'generic',
    versions: [],
    os_specific: {},
    dead_ends: [],
    workarounds: [{ action: `${TODO}: what fixes it`, success_rate: 0, how: `${TODO}: how, step by step`, condition: '', sources: [] }],
    transition_graph: { leads_to: [], preceded_by: [], frequently_confused_with: [] },
    official_doc_url: null,
    official_doc_section: null,
    error_code: null,
    verification_tier: 'ai_generated',
    confidence: 0.5,
    fix_success_rate: null,
    resolvable: 'partial',
    first_seen: today,
    last_confirmed: today,
    last_updated: today,
    evidence_count: input.examples.length,
    // Signals (socket-exhaustion, pool-starvation, thread-starvation) are a person's judgement.
    tags: [],
    locale: 'en',
    aliases: [],
    examples: {
      match: input.examples.map((e) => (e.source === undefined ? e.text : { text: e.text, source: e.source })),
      no_match: [],
    },
    todo: [
      'category, root_cause and workarounds: replace every TODO',
      'tags: add the signal (socket-exhaustion, pool-starvation, thread-starvation) if the error is one',
      'examples.no_match: add near misses that must not match',
      'regex: check that it is neither too broad nor too narrow (faultline rules test)',
    ],
  };
}

/**
 * The regex of a template. Leading and trailing variables are left out (the regex searches
 * anywhere, so a timestamp prefix only costs time); a variable whose every example is digits
 * becomes a digits class, any other a bounded non-space class.
 */
export function regexFor(tokens: readonly string[], examples: readonly string[]): string {
  const first = examples[0] ?? '';
  // The miner's own token limit, so that the tokens line up with the template's.
  const max = DEFAULT_MINER_OPTIONS.maxTokens;
  const firstTokens = tokenize(first, max);
  if (firstTokens.length !== tokens.length) throw new SuggestError('the example does not have the shape of the template');
  const spans = spansOf(first, firstTokens);
  const exampleTokens = examples.map((e) => tokenize(e, max));
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi && tokens[lo] === WILDCARD) lo++;
  while (hi >= lo && tokens[hi] === WILDCARD) hi--;
  if (lo > hi) throw new SuggestError('the template has no constant token to anchor a rule');
  let out = '';
  for (let i = lo; i <= hi; i++) {
    if (i > lo) {
      const gap = first.slice(spans[i - 1]!.end, spans[i]!.start);
      out += gap.length > 0 ? '\\s+' : '';
    }
    const t = tokens[i]!;
    if (t !== WILDCARD) out += escapeRe2(firstTokens[i]!);
    else out += exampleTokens.every((et) => /^[0-9]+$/.test(et[i] ?? '')) ? DIGITS_CLASS : VARIABLE_CLASS;
  }
  return out;
}

function spansOf(text: string, tokens: readonly string[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let at = 0;
  for (const t of tokens) {
    const start = text.indexOf(t, at);
    if (start < 0) throw new SuggestError('the example does not have the shape of the template');
    spans.push({ start, end: start + t.length });
    at = start + t.length;
  }
  return spans;
}

export function escapeRe2(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function slug(words: readonly string[]): string {
  return words
    .slice(0, 6)
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]+/g, '-'))
    .join('-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
