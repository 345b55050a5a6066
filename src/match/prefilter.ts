/**
 * Prefilter extraction (the FilteredRE2 idea): from a regex, a boolean condition over literal
 * strings ("atoms") that every text containing a match satisfies — e.g. `NDK.*build.*failed`
 * needs "ndk" AND "build" AND "failed". A text that fails the condition cannot match, so its
 * regex need not run. Atoms are case-folded (case-fold.ts), so one condition serves
 * case-sensitive and (?i) patterns alike, and are cut to a bounded length (a piece of a
 * required string is required too).
 *
 * Each node yields either `exact` (it matches exactly one of a few strings) or `match` (a
 * condition). Concatenations multiply exact sets while they stay small, then AND the parts;
 * alternations OR their branches; optional parts contribute nothing ("all"). Atoms too short to
 * be selective become "all": they vanish from an AND and make an OR useless.
 *
 * The condition is split at its top-level OR into units, and each unit gets a `trigger`: a set
 * of atoms one of which occurs whenever the unit holds, chosen to be rare (long atoms, not
 * common log words). The bank looks at a unit only when one of its trigger atoms was found, so
 * common words buried in an AND cost nothing.
 */
import { foldTable, hasAstralCaseVariants } from './case-fold.js';
import { isCommonAtom, isCommonPair } from './common-words.js';
import { UnsupportedSyntax, parseRe2, type RegexNode } from './re2-parse.js';

export type Condition =
  | { op: 'all' }
  | { op: 'atom'; text: string }
  | { op: 'and'; items: Condition[] }
  | { op: 'or'; items: Condition[] };

type Info = { exact: string[] } | { match: Condition };

/** Cross products and exact alternations stay at most this big (as in FilteredRE2). */
const MAX_EXACT = 16;
/** A character class becomes a literal position only with at most this many folded members. */
const MAX_CLASS = 4;

const ALL: Condition = { op: 'all' };

export interface PrefilterOptions {
  /** Atoms shorter than this (UTF-8 bytes) are not looked for at all. */
  minAtomBytes: number;
  /**
   * Trigger atoms shorter than this wake a unit only when it has no longer one. Shorter atoms
   * still narrow an AND (`\$<.*error` needs "$<" too).
   */
  minTriggerBytes: number;
  /** Atoms are cut to this many UTF-16 code units. */
  maxAtomUnits: number;
}

export const DEFAULT_PREFILTER_OPTIONS: PrefilterOptions = { minAtomBytes: 2, minTriggerBytes: 3, maxAtomUnits: 24 };

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function cross(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return dedupe(out);
}

/** A prefix of at most `max` code units that does not split a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** The code point as the scanner sees it (case-folded), or null when it cannot be a literal. */
export function foldCodePoint(cp: number, fold: boolean): string | null {
  // U+FFFD also stands for invalid UTF-16 in the text (lone surrogates), which the scanner sees
  // as surrogates: never use it as a literal. Lone surrogates in the pattern are the same case.
  if (cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  if (cp >= 0x10000) return fold && hasAstralCaseVariants(cp) ? null : String.fromCodePoint(cp);
  return String.fromCharCode(foldTable()[cp] as number);
}

function and(items: Condition[]): Condition {
  const flat: Condition[] = [];
  const atoms = new Set<string>();
  for (const item of items) {
    for (const c of item.op === 'and' ? item.items : [item]) {
      if (c.op === 'all') continue;
      if (c.op === 'atom') {
        if (atoms.has(c.text)) continue;
        atoms.add(c.text);
      }
      flat.push(c);
    }
  }
  if (flat.length === 0) return ALL;
  return flat.length === 1 ? (flat[0] as Condition) : { op: 'and', items: flat };
}

function or(items: Condition[]): Condition {
  const others: Condition[] = [];
  const atoms: string[] = [];
  for (const item of items) {
    for (const c of item.op === 'or' ? item.items : [item]) {
      if (c.op === 'all') return ALL;
      if (c.op === 'atom') atoms.push(c.text);
      else others.push(c);
    }
  }
  // Finding "ab" implies finding "a": an OR needs only the shorter atom.
  const kept: string[] = [];
  for (const s of dedupe(atoms).sort((a, b) => a.length - b.length)) if (!kept.some((k) => s.includes(k))) kept.push(s);
  const flat = [...kept.map((text): Condition => ({ op: 'atom', text })), ...others];
  if (flat.length === 0) return ALL;
  return flat.length === 1 ? (flat[0] as Condition) : { op: 'or', items: flat };
}

class Extractor {
  /** Repetitions are analysed twice (see ofConcat); memoising keeps nested ones linear. */
  private readonly memo = new Map<RegexNode, Info>();

  constructor(private readonly options: PrefilterOptions) {}

  atom(text: string): Condition {
    const piece = cut(text, this.options.maxAtomUnits);
    const bytes = utf8Length(piece);
    if (bytes < this.options.minAtomBytes) return ALL;
    // Frequent pairs ("re", "in", "20") are in nearly every record: they would cost scanning
    // time and filter nothing. Rarer ones ("nz", "$<", "w/") still narrow an AND.
    if (bytes < this.options.minTriggerBytes && isCommonPair(piece)) return ALL;
    return { op: 'atom', text: piece };
  }

  condition(info: Info): Condition {
    if ('match' in info) return info.match;
    if (info.exact.includes('')) return ALL;
    return or(info.exact.map((s) => this.atom(s)));
  }

  analyse(node: RegexNode): Info {
    let info = this.memo.get(node);
    if (info === undefined) {
      info = this.analyseNode(node);
      this.memo.set(node, info);
    }
    return info;
  }

  private analyseNode(node: RegexNode): Info {
    switch (node.type) {
      case 'empty':
        return { exact: [''] };
      case 'char': {
        const s = foldCodePoint(node.cp, node.fold);
        return s === null ? { match: ALL } : { exact: [s] };
      }
      case 'class':
        return this.ofClass(node.ranges, node.fold);
      case 'any':
        return { match: ALL };
      case 'concat':
        return this.ofConcat(node.items);
      case 'alt':
        return this.ofAlternation(node.items);
      case 'repeat':
        return this.ofRepeat(node.min, node.max, node.item);
    }
  }

  private ofClass(ranges: number[], fold: boolean): Info {
    const members = new Set<string>();
    for (let i = 0; i + 1 < ranges.length; i += 2) {
      for (let cp = ranges[i] as number; cp <= (ranges[i + 1] as number); cp++) {
        const s = foldCodePoint(cp, fold);
        if (s === null) return { match: ALL };
        members.add(s);
        if (members.size > MAX_CLASS) return { match: ALL };
      }
    }
    return members.size === 0 ? { match: ALL } : { exact: [...members] };
  }

  private ofConcat(items: RegexNode[]): Info {
    // x{n,m} is x x{n-1,m-1}: split off the first copy so that it can join the exact strings
    // around it (`\\[0-9]{3}` needs one of "\\0" … "\\9"). Done once, not recursively, so
    // nested counted repetitions cost no more.
    const expanded = items.flatMap((i): RegexNode[] =>
      i.type === 'repeat' && i.min >= 1 && !(i.min === 1 && i.max === 1)
        ? [i.item, { type: 'repeat', min: i.min - 1, max: i.max === -1 ? -1 : i.max - 1, item: i.item }]
        : [i],
    );
    return this.joinSequence(expanded.map((i) => this.analyse(i)));
  }

  /** The info of a concatenation, from the infos of its parts in order. */
  private joinSequence(infos: Info[]): Info {
    let current: string[] = [''];
    let exact = true;
    const parts: Condition[] = [];
    for (const info of infos) {
      if ('exact' in info) {
        const product = cross(current, info.exact);
        if (product.length <= MAX_EXACT) {
          current = product;
          continue;
        }
        parts.push(this.condition({ exact: current }));
        current = info.exact;
      } else {
        parts.push(this.condition({ exact: current }), info.match);
        current = [''];
      }
      exact = false;
    }
    if (exact) return { exact: current };
    parts.push(this.condition({ exact: current }));
    return { match: and(parts) };
  }

  private ofAlternation(items: RegexNode[]): Info {
    const infos = items.map((i) => this.analyse(i));
    if (infos.every((i) => 'exact' in i)) {
      const union = dedupe(infos.flatMap((i) => ('exact' in i ? i.exact : [])));
      if (union.length <= MAX_EXACT) return { exact: union };
    }
    return { match: or(infos.map((i) => this.condition(i))) };
  }

  private ofRepeat(min: number, max: number, item: RegexNode): Info {
    const info = this.analyse(item);
    if (max === 0) return { exact: [''] };
    if (min === 0) {
      if (max === 1 && 'exact' in info && info.exact.length < MAX_EXACT) return { exact: dedupe([...info.exact, '']) };
      return { match: ALL };
    }
    if (min === 1 && max === 1) return info;
    return { match: this.condition(info) };
  }
}

/**
 * How rarely an atom is expected in a log record: longer is rarer; a piece of a common log word
 * ranks below any other atom of two bytes or more, the longer of two such pieces first.
 */
function rarity(atom: string): number {
  const bytes = Math.min(utf8Length(atom), 16);
  return isCommonAtom(atom) ? 1 + bytes / 32 : bytes;
}

/** Prefers atom sets whose commonest atom is rarest, then smaller sets. */
function quality(atoms: string[]): number {
  let weakest = Infinity;
  for (const s of atoms) weakest = Math.min(weakest, rarity(s));
  return weakest * 1000 - Math.min(atoms.length, 999);
}

/**
 * Atoms, none shorter than `minBytes`, one of which occurs whenever `c` holds; null if there is
 * no such set.
 */
export function triggerOf(c: Condition, minBytes: number): string[] | null {
  switch (c.op) {
    case 'all':
      return null;
    case 'atom':
      return utf8Length(c.text) >= minBytes ? [c.text] : null;
    case 'or': {
      const union: string[] = [];
      for (const item of c.items) {
        const t = triggerOf(item, minBytes);
        if (t === null) return null;
        union.push(...t);
      }
      return dedupe(union);
    }
    case 'and': {
      let best: string[] | null = null;
      for (const item of c.items) {
        const t = triggerOf(item, minBytes);
        if (t !== null && (best === null || quality(t) > quality(best))) best = t;
      }
      return best;
    }
  }
}

/** One alternative of a pattern's top-level OR, with the atoms that wake it. */
export interface PrefilterUnit {
  condition: Condition;
  trigger: string[];
}

export type PrefilterResult =
  | {
      kind: 'prefilter';
      condition: Condition;
      /** The union of the units' triggers. */
      trigger: string[];
      /** The condition split at its top-level OR: a unit needs looking at only when woken. */
      units: PrefilterUnit[];
    }
  | { kind: 'unfiltered'; reason: 'no-literal' | 'unsupported-syntax' };

/**
 * The prefilter of a pattern in RE2's own syntax — for a compiled node-re2 object, its
 * `internalSource` (node-re2 rewrites some JavaScript spellings before RE2 sees them) — or why
 * it has none.
 */
export function extractPrefilter(
  re2Pattern: string,
  options: PrefilterOptions = DEFAULT_PREFILTER_OPTIONS,
): PrefilterResult {
  let tree: RegexNode;
  try {
    tree = parseRe2(re2Pattern);
  } catch (err) {
    if (err instanceof UnsupportedSyntax) return { kind: 'unfiltered', reason: 'unsupported-syntax' };
    throw err;
  }
  const extractor = new Extractor(options);
  const condition = extractor.condition(extractor.analyse(tree));
  const units: PrefilterUnit[] = [];
  for (const part of condition.op === 'or' ? condition.items : [condition]) {
    // Shorter atoms wake a unit only when it has nothing better: they are uncommon pairs (see
    // `atom`), still far cheaper than checking the pattern on every record.
    const trigger = triggerOf(part, options.minTriggerBytes) ?? triggerOf(part, options.minAtomBytes);
    if (trigger === null) return { kind: 'unfiltered', reason: 'no-literal' };
    units.push({ condition: part, trigger });
  }
  return { kind: 'prefilter', condition, trigger: dedupe(units.flatMap((u) => u.trigger)), units };
}

/**
 * For a pattern `extractPrefilter` leaves unfiltered: its top-level alternatives split into
 * those with a prefilter (their units) and those without (`bare`, for gate.ts); null when the
 * pattern cannot be parsed. Every match of the pattern is a match of one alternative, so the
 * units and the bare alternatives together cover it.
 */
export function extractBranches(
  re2Pattern: string,
  options: PrefilterOptions = DEFAULT_PREFILTER_OPTIONS,
): { units: PrefilterUnit[]; bare: RegexNode[] } | null {
  let tree: RegexNode;
  try {
    tree = parseRe2(re2Pattern);
  } catch (err) {
    if (err instanceof UnsupportedSyntax) return null;
    throw err;
  }
  const extractor = new Extractor(options);
  const units: PrefilterUnit[] = [];
  const bare: RegexNode[] = [];
  for (const branch of tree.type === 'alt' ? tree.items : [tree]) {
    const condition = extractor.condition(extractor.analyse(branch));
    const own: PrefilterUnit[] = [];
    for (const part of condition.op === 'or' ? condition.items : [condition]) {
      const trigger = triggerOf(part, options.minTriggerBytes) ?? triggerOf(part, options.minAtomBytes);
      if (trigger === null) break;
      own.push({ condition: part, trigger });
    }
    if (own.length === (condition.op === 'or' ? condition.items.length : 1)) units.push(...own);
    else bare.push(branch);
  }
  return { units, bare };
}

/** Whether `c` holds when exactly the atoms for which `has` is true occur. */
export function holds(c: Condition, has: (atom: string) => boolean): boolean {
  switch (c.op) {
    case 'all':
      return true;
    case 'atom':
      return has(c.text);
    case 'and':
      return c.items.every((i) => holds(i, has));
    case 'or':
      return c.items.some((i) => holds(i, has));
  }
}
