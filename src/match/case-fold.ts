/**
 * One representative per case-fold orbit of UTF-16 code units. The prefilter folds both the
 * literals and the text through this table, so a literal found under (?i) is found whatever the
 * case in the text — including RE2's non-ASCII fold partners (K ↔ U+212A KELVIN SIGN, s ↔ U+017F
 * LONG S, σ ↔ ς ↔ Σ). Orbits are built as the closure of JavaScript's single-character
 * toLowerCase/toUpperCase mappings, which contains Unicode simple case folding (what RE2 uses);
 * where JavaScript relates more characters than RE2 does (ı ↔ I) the orbit is only larger,
 * which costs a few extra candidate checks and never a missed match. Surrogates map to
 * themselves: astral characters are compared exactly (see `hasAstralCaseVariants`).
 */

let table: Uint16Array | undefined;

function find(parent: Uint16Array, x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root] as number;
  while (parent[x] !== root) {
    const next = parent[x] as number;
    parent[x] = root;
    x = next;
  }
  return root;
}

function build(): Uint16Array {
  const parent = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) parent[c] = c;
  const union = (a: number, b: number): void => {
    const ra = find(parent, a);
    const rb = find(parent, b);
    // The smaller code unit becomes the representative: ASCII stays ASCII.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  // Characters whose case mapping is several characters (ΐ → "Ϊ́", ﬅ → "ST") can still be
  // simple-fold partners of each other (U+0390 ~ U+1FD3, U+FB05 ~ U+FB06): join characters
  // that share such a mapping.
  const byLongMapping = new Map<string, number>();
  const joinOnMapping = (c: number, mapping: string): void => {
    const first = byLongMapping.get(mapping);
    if (first === undefined) byLongMapping.set(mapping, c);
    else union(c, first);
  };
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCharCode(c);
    const lower = s.toLowerCase();
    const upper = s.toUpperCase();
    if (lower.length === 1) union(c, lower.charCodeAt(0));
    else joinOnMapping(c, 'L' + lower);
    if (upper.length === 1) union(c, upper.charCodeAt(0));
    else joinOnMapping(c, 'U' + upper);
  }
  const canon = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) canon[c] = find(parent, c);
  return canon;
}

/** code unit → representative of its case-fold orbit (built once, 128 KiB). */
export function foldTable(): Uint16Array {
  table ??= build();
  return table;
}

/**
 * Takes a table built earlier by this same code on this same runtime (the rule cache stores it,
 * keyed on both): building it walks all 65,536 code units' case mappings (~40 ms).
 */
export function adoptFoldTable(built: Uint16Array): void {
  if (built.length !== 0x10000) throw new Error('a fold table has 65,536 entries');
  table ??= built;
}

/** Folds every code unit of `s`. */
export function foldString(s: string): string {
  const canon = foldTable();
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(canon[s.charCodeAt(i)] as number);
  return out;
}

/**
 * Astral characters are matched on their surrogate pairs, which the table cannot fold; a (?i)
 * astral letter with case variants (Deseret, Osage, Adlam, …) therefore cannot be a literal.
 */
export function hasAstralCaseVariants(cp: number): boolean {
  if (cp < 0x10000) return false;
  const s = String.fromCodePoint(cp);
  return s.toLowerCase() !== s || s.toUpperCase() !== s;
}
