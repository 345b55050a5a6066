/**
 * fast-check arbitraries for RE2 patterns and texts that match them, for the property tests of
 * the prefilter and the bank. A generated tree prints to RE2 syntax in many spellings (escapes,
 * \Q…\E, classes, flags, named groups, counted and lazy repetition, anchors) and can sample
 * strings it matches — with case variants, including the non-ASCII fold partners, under (?i).
 */
import fc from 'fast-check';

export type Tree =
  | { kind: 'lit'; text: string; spelling: 'plain' | 'hex' | 'quote' }
  | { kind: 'class'; spec: ClassSpec }
  | { kind: 'anchor'; text: '^' | '$' | '\\b' | '\\B' }
  | { kind: 'concat'; items: Tree[] }
  | { kind: 'alt'; items: Tree[] }
  | { kind: 'group'; style: 'capture' | 'plain' | 'named' | 'fold' | 'foldInside'; item: Tree }
  | { kind: 'repeat'; op: '*' | '+' | '?' | '{2}' | '{1,}' | '{0,2}' | '{1,3}'; lazy: boolean; item: Tree };

interface ClassSpec {
  source: string;
  /** Characters the class matches, to sample from. */
  members: string;
}

/** Words as they appear in error messages, with accents, Greek, CJK, an emoji and fold traps. */
const WORDS = [
  'error', 'Connection refused', 'pool', 'timeout', 'Socket', 'EADDRNOTAVAIL', 'too many open files',
  'WSAENOBUFS', '10055', 'HttpClient', 'exhausted', 'kelvin', 'disk', 'straße', 'ñandú', 'Σίσυφος',
  'ς', 'İstanbul', 'ı', '连接池', '接続', '😀ok', 'ǅ', 'µs', 'Å',
];

const SPECIAL = '.^$|()[]{}*+?\\/-';

const CLASSES: ClassSpec[] = [
  { source: '[abc]', members: 'abc' },
  { source: '[a-c]', members: 'abc' },
  { source: '[Kk]', members: 'Kk' },
  { source: '[]x]', members: ']x' },
  { source: '[x-]', members: 'x-' },
  { source: '[\\d]', members: '0123456789' },
  { source: '[0-9]', members: '0123456789' },
  { source: '[éèe]', members: 'éèe' },
  { source: '[^a]', members: 'bZ9 é' },
  { source: '\\d', members: '0123456789' },
  { source: '\\s', members: ' \t\n' },
  { source: '\\w', members: 'aZ_5' },
  { source: '\\W', members: ' -é' },
  { source: '.', members: 'aé😀 -' },
  { source: '\\pL', members: 'aéΣ连' },
  { source: '\\p{Greek}', members: 'Σσς' },
  { source: '[[:alpha:]]', members: 'aZ' },
  { source: '[[:^digit:]x]', members: 'ab-' },
  { source: '\\x{1F600}', members: '😀' },
];

function escapeChar(c: string): string {
  return SPECIAL.includes(c) ? '\\' + c : c;
}

function hexSpelling(text: string): string {
  let out = '';
  for (const c of text) {
    const cp = c.codePointAt(0) as number;
    out += cp < 0x80 && /[a-z]/i.test(c) ? c : cp <= 0xff ? '\\x' + cp.toString(16).padStart(2, '0') : `\\x{${cp.toString(16)}}`;
  }
  return out;
}

/** RE2 syntax for a tree. */
export function print(t: Tree): string {
  switch (t.kind) {
    case 'lit':
      if (t.spelling === 'hex') return hexSpelling(t.text);
      // \Q…\E: a quantifier after it would bind to the last character only; keep it grouped.
      if (t.spelling === 'quote') return t.text.includes('\\E') ? Array.from(t.text, escapeChar).join('') : `(?:\\Q${t.text}\\E)`;
      return Array.from(t.text, escapeChar).join('');
    case 'class':
      return t.spec.source;
    case 'anchor':
      return t.text;
    case 'concat':
      return t.items.map(print).join('');
    case 'alt':
      return t.items.map(print).join('|');
    case 'group':
      switch (t.style) {
        case 'capture':
          return `(${print(t.item)})`;
        case 'plain':
          return `(?:${print(t.item)})`;
        case 'named':
          return `(?P<g${Math.abs(hash(print(t.item))) % 1000}>${print(t.item)})`;
        case 'fold':
          return `(?i:${print(t.item)})`;
        case 'foldInside':
          return `(?:(?i)${print(t.item)})`;
      }
      break;
    case 'repeat':
      return `(?:${print(t.item)})${t.op}${t.lazy ? '?' : ''}`;
  }
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** RE2's fold partners that plain toUpperCase/toLowerCase do not reach (written out, not derived). */
const FOLD_PARTNERS: Readonly<Record<string, string>> = {
  k: '\u212a',
  s: '\u017f',
  'å': '\u212b',
  'µ': '\u03bc\u039c',
  'σ': '\u03c2',
  'ß': '\u1e9e',
  'ǆ': '\u01c4\u01c5',
};

/** Characters RE2 (?i) matches for `c` (independent of src/match/case-fold.ts). */
function caseVariants(c: string): string[] {
  const out = new Set([c]);
  for (const v of [c.toLowerCase(), c.toUpperCase()]) if (Array.from(v).length === 1) out.add(v);
  for (const v of Array.from(FOLD_PARTNERS[c.toLowerCase()] ?? '')) out.add(v);
  for (const v of [...out]) {
    const partners = FOLD_PARTNERS[v.toLowerCase()];
    if (partners !== undefined) for (const p of Array.from(partners)) out.add(p);
  }
  return [...out];
}

/** How many copies a sample takes for each quantifier (bounded for the unbounded ones). */
const REPEAT_COUNTS: Record<Extract<Tree, { kind: 'repeat' }>['op'], [number, number]> = {
  '*': [0, 3],
  '+': [1, 3],
  '?': [0, 1],
  '{2}': [2, 2],
  '{1,}': [1, 3],
  '{0,2}': [0, 2],
  '{1,3}': [1, 3],
};

/** A string the tree matches (anchors aside), choices made by `pick`. */
export function sample(t: Tree, pick: (n: number) => number, fold = false): string {
  switch (t.kind) {
    case 'lit':
      if (!fold) return t.text;
      return Array.from(t.text, (c) => {
        const variants = caseVariants(c);
        return variants[pick(variants.length)] as string;
      }).join('');
    case 'class': {
      const members = Array.from(t.spec.members);
      return members[pick(members.length)] as string;
    }
    case 'anchor':
      return '';
    case 'concat':
      return t.items.map((i) => sample(i, pick, fold)).join('');
    case 'alt':
      return sample(t.items[pick(t.items.length)] as Tree, pick, fold);
    case 'group':
      return sample(t.item, pick, fold || t.style === 'fold' || t.style === 'foldInside');
    case 'repeat': {
      const [lo, hi] = REPEAT_COUNTS[t.op];
      const n = lo + pick(hi - lo + 1);
      let out = '';
      for (let i = 0; i < n; i++) out += sample(t.item, pick, fold);
      return out;
    }
  }
}

const wordArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...'ab-.{}[]()|*+?^$\\/ Kkſ'.split('')) }) },
);

const spellingArb = fc.constantFrom<'plain' | 'hex' | 'quote'>('plain', 'plain', 'hex', 'quote');
const anchorArb = fc.constantFrom<'^' | '$' | '\\b' | '\\B'>('^', '$', '\\b', '\\B');
const groupArb = fc.constantFrom<'capture' | 'plain' | 'named' | 'fold' | 'foldInside'>('capture', 'plain', 'named', 'fold', 'foldInside');
const repeatArb = fc.constantFrom<'*' | '+' | '?' | '{2}' | '{1,}' | '{0,2}' | '{1,3}'>('*', '+', '?', '{2}', '{1,}', '{0,2}', '{1,3}');

export const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('lit' as const), text: wordArb, spelling: spellingArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('class' as const), spec: fc.constantFrom(...CLASSES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('anchor' as const), text: anchorArb }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('concat' as const), items: fc.array(tie('tree'), { minLength: 2, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('alt' as const), items: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('group' as const), style: groupArb, item: tie('tree') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), op: repeatArb, lazy: fc.boolean(), item: tie('tree') }) },
  ),
})).tree;

/** Noise around samples: ASCII, accents, CJK, emoji, newlines, a lone surrogate. */
export const noiseArb = fc.string({
  maxLength: 30,
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABCDEFKS0123456789.:-_/\n\t'.split('')) },
    { weight: 2, arbitrary: fc.constantFrom('é', 'ß', 'ſ', '\u212a', 'Σ', 'ς', '连', '😀', 'İ', 'ı', '\ud800', '\ufffd', 'Å', '\u212b') },
  ),
});

/** A pattern together with texts around samples of it. */
export const patternWithTextsArb = fc
  .tuple(treeArb, fc.array(fc.tuple(noiseArb, fc.infiniteStream(fc.nat()), noiseArb), { minLength: 1, maxLength: 4 }))
  .map(([tree, parts]) => {
    const texts = parts.map(([before, choices, after]) => {
      const it = choices[Symbol.iterator]();
      const pick = (n: number): number => (it.next().value as number) % Math.max(n, 1);
      return before + sample(tree, pick) + after;
    });
    return { tree, source: print(tree), texts };
  });
