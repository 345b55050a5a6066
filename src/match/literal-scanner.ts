/**
 * Finds, in one pass over a text, which of many literals occur in it: an Aho-Corasick automaton
 * compiled to a dense DFA over UTF-16 code units.
 *
 * Why this and not an RE2.Set of the escaped literals (measured, bench/literal-scanners.ts, on
 * 565-byte loghub records, 2-core EPYC, Node 20): with the 8,136 atoms of the 2,522 deadends
 * rules this loop finds them at ~270k records/s, the RE2.Set at ~12k (its DFA states carry
 * every alternative, so its cache thrashes); at 500 atoms 400k vs 300k. It also needs no UTF-8
 * copy of the text and has no memory budget that can fail at match time. A library
 * (modern-ahocorasick, not installed) would not fold case the way RE2 does, and a plain JS
 * automaton is what it would be anyway.
 *
 * Text and literals are read through the same mapping code unit → column: case-folded
 * (case-fold.ts), columns only for units that occur in literals, everything else column 0.
 * When literals use many distinct non-ASCII units, those share a few columns: the mapping is
 * applied to text and literals alike, so every real occurrence is still found; sharing only adds
 * rare false candidates, which the regex check removes.
 *
 * The per-character loop is bounded by instructions, not by the table's cache misses (measured,
 * deadends KB: the state chain alone through this 9 MB table costs about what it costs through a
 * 44 KB one; splitting the text into two interleaved chains gained nothing; just reading the text
 * with charCodeAt is ~1 µs of a 556-char record). So the layout serves fewer instructions: 16-bit
 * state ids (32-bit above 65,536 states), column-major so that no multiply waits on the previous
 * state, and the column map, transitions and per-state `seen` stamps in one typed array (see
 * `table16`). Reporting is taken out of the loop: ~93% of steps land on a state that reports
 * something, but only ~29 distinct ones per record, so the loop branches on "first arrival this
 * scan" (rarely taken) and `collect` then walks output links, stopping at states the scan reached
 * itself, instead of re-reporting each state's inherited owners at every step.
 *
 * Measured with `BUDGET=1500 node --expose-gc --import tsx bench/match-profile.ts` (deadends
 * rules, 53,374 states × 87 columns, 556-byte records, 2-core EPYC, Node 20, best of two runs
 * each, another job on the machine): before (Int32 row-major table, owners loop per accepting
 * step) 18.9 MB, scan 3.51 µs/record, scan + wake + gates 4.59 µs, bank.match 6.14 µs; after
 * 10.1 MB, scan 3.36 µs, scan + wake + gates 4.27 µs, bank.match 5.85 µs.
 */
import { foldTable } from './case-fold.js';

export interface ScannerLiteral {
  /** Already case-folded (prefilter.ts). */
  text: string;
  /** Reported when the literal occurs (e.g. a pattern id). */
  owner: number;
}

/** Distinct non-ASCII units above this share columns (keeps the table small). */
const NON_ASCII_COLUMNS = 24;

/** Where the transitions start in `table16` / `table32`: below, the column of each code unit. */
const TRANSITIONS = 0x10000;
/** `seen` value of a state that reports nothing; scan generations stay below it. */
const NEVER = 0xffff;
/** Most states that fit 16-bit ids (state ids are table values). */
const NARROW_STATES = 0x10000;

/** Internal: tests force the 32-bit table that automata above NARROW_STATES states use. */
export interface ScannerOptions {
  wide?: boolean;
}

/** What a scanner is made of (see the fields of LiteralScanner). */
export interface ScannerTables {
  states: number;
  width: number;
  /** Column map, transitions and `seen` stamps (Int32Array above 65,536 states). */
  table: Uint16Array | Int32Array;
  seenAt: number;
  /** States that report something. */
  reporting: number;
  ownersStart: Int32Array;
  owners: Int32Array;
  outputLink: Int32Array;
  /** Highest owner + 1. */
  owners1: number;
}

export class LiteralScanner {
  /** Number of automaton states. */
  readonly states: number;
  /** Columns per state. */
  readonly width: number;
  /** Owners found by the last `scan`, each once: found[0 .. count). */
  readonly found: Int32Array;
  count = 0;
  /**
   * One array for everything the per-character loop touches: column of each code unit at
   * [0, TRANSITIONS); the next state at TRANSITIONS + column * states + state (column-major,
   * so the hot shallow states of one column share cache lines, and no multiply depends on the
   * previous state); then `seen` at seenAt + state: NEVER, or the last scan generation that
   * reached that reporting state. V8 (Node 20, --print-opt-code) re-checks a typed array's map,
   * data pointer and length at every access inside the loop instead of hoisting them, so one
   * array instead of three is ~10 fewer instructions per character. Exactly one of table16 /
   * table32 is in use; the other is empty, so each field keeps one element kind.
   */
  private readonly table16: Uint16Array;
  private readonly table32: Int32Array;
  private readonly seenAt: number;
  /** States that the last scan reached for the first time and that report something. */
  private readonly hits: Int32Array;
  /** Per state: its own literals' owners, owners[ownersStart[s] .. ownersStart[s+1]). */
  private readonly ownersStart: Int32Array;
  private readonly owners: Int32Array;
  /** Per state: the nearest proper suffix state with owners of its own (0: none). */
  private readonly outputLink: Int32Array;
  private readonly stamps: Uint32Array;
  /** For `stamps` / `has`. */
  private generation = 0;
  /** For `seen`: 16 bits, so that it fits the narrow table. */
  private seenGeneration = 0;

  /** From literals, or from the tables of another scanner (`tables()`, as the rule cache stores them). */
  constructor(input: readonly ScannerLiteral[] | ScannerTables, options: ScannerOptions = {}) {
    const t = Array.isArray(input) ? buildTables(input as readonly ScannerLiteral[], options) : (input as ScannerTables);
    const wide = t.table instanceof Int32Array;
    this.states = t.states;
    this.width = t.width;
    this.table16 = wide ? new Uint16Array(0) : (t.table as Uint16Array);
    this.table32 = wide ? (t.table as Int32Array) : new Int32Array(0);
    this.seenAt = t.seenAt;
    this.hits = new Int32Array(Math.max(t.reporting, 1));
    this.ownersStart = t.ownersStart;
    this.outputLink = t.outputLink;
    this.owners = t.owners;
    this.found = new Int32Array(t.owners1);
    this.stamps = new Uint32Array(this.found.length);
  }

  /**
   * The automaton as plain typed arrays, to rebuild an equal scanner without building it. The
   * `seen` stamps are reset: they belong to this scanner's scans, not to the automaton.
   */
  tables(): ScannerTables {
    const table = this.table32.length > 0 ? this.table32.slice() : this.table16.slice();
    for (let k = this.seenAt; k < table.length; k++) if (table[k] !== NEVER) table[k] = 0;
    return {
      states: this.states,
      width: this.width,
      table,
      seenAt: this.seenAt,
      reporting: this.hits.length,
      ownersStart: this.ownersStart,
      owners: this.owners,
      outputLink: this.outputLink,
      owners1: this.found.length,
    };
  }

  /** Finds the owners of the literals that occur in `text`; returns how many (see `found`). */
  scan(text: string): number {
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    if (++this.seenGeneration === NEVER) {
      const table = this.table32.length > 0 ? this.table32 : this.table16;
      for (let k = this.seenAt, end = k + this.states; k < end; k++) if (table[k] !== NEVER) table[k] = 0;
      this.seenGeneration = 1;
    }
    const hits = this.table32.length > 0 ? this.scan32(text) : this.scan16(text);
    return this.collect(hits);
  }

  /**
   * The per-character loop, twice (scan16 / scan32) so that each stays monomorphic. Only the
   * first arrival at a reporting state in this scan leaves the loop's fast path: with the
   * deadends KB, ~93% of steps land on a reporting state (short atoms and inherited outputs),
   * but only ~29 distinct ones per 556-char record, so branching on "reports" mispredicts
   * often while branching on "new this scan" rarely does.
   */
  private scan16(text: string): number {
    const table = this.table16;
    const n = this.states;
    const seenAt = this.seenAt;
    const g = this.seenGeneration;
    const hits = this.hits;
    let h = 0;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      s = table[(TRANSITIONS + Math.imul(table[text.charCodeAt(i)] as number, n) + s) | 0] as number;
      const at = (seenAt + s) | 0;
      if ((table[at] as number) < g) {
        table[at] = g;
        hits[h++] = s;
      }
    }
    return h;
  }

  private scan32(text: string): number {
    const table = this.table32;
    const n = this.states;
    const seenAt = this.seenAt;
    const g = this.seenGeneration;
    const hits = this.hits;
    let h = 0;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      s = table[(TRANSITIONS + Math.imul(table[text.charCodeAt(i)] as number, n) + s) | 0] as number;
      const at = (seenAt + s) | 0;
      if ((table[at] as number) < g) {
        table[at] = g;
        hits[h++] = s;
      }
    }
    return h;
  }

  /**
   * Reports the owners of hits[0 .. h) and along their output links. A link walk stops at a
   * state the scan reached itself: that one is a hit and walks its own links.
   */
  private collect(h: number): number {
    const table = this.table32.length > 0 ? this.table32 : this.table16;
    const seenAt = this.seenAt;
    const g = this.seenGeneration;
    const generation = this.generation;
    const hits = this.hits;
    const ownersStart = this.ownersStart;
    const owners = this.owners;
    const outputLink = this.outputLink;
    const stamps = this.stamps;
    const found = this.found;
    let count = 0;
    for (let j = 0; j < h; j++) {
      let s = hits[j] as number;
      do {
        for (let k = ownersStart[s] as number, end = ownersStart[s + 1] as number; k < end; k++) {
          const owner = owners[k] as number;
          if (stamps[owner] !== generation) {
            stamps[owner] = generation;
            found[count++] = owner;
          }
        }
        s = outputLink[s] as number;
      } while (s !== 0 && table[seenAt + s] !== g);
    }
    this.count = count;
    return count;
  }

  /** Whether the last `scan` found `owner`. */
  has(owner: number): boolean {
    return this.stamps[owner] === this.generation;
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    return (
      this.table16.byteLength +
      this.table32.byteLength +
      this.hits.byteLength +
      this.ownersStart.byteLength +
      this.owners.byteLength +
      this.outputLink.byteLength +
      this.found.byteLength +
      this.stamps.byteLength
    );
  }
}

function buildTables(literals: readonly ScannerLiteral[], options: ScannerOptions): ScannerTables {
  const columns = assignColumns(literals);
  const width = columns.width;
  let maxOwner = 0;

  // Trie over columns, built straight into the transition table (-1: no child yet). The
  // number of states is the number of distinct literal prefixes, counted first.
  const coded = literals.map((lit) => {
    if (lit.text.length === 0) throw new Error('a literal must not be empty');
    const cols = new Uint8Array(lit.text.length);
    for (let i = 0; i < cols.length; i++) cols[i] = columns.ofUnit.get(lit.text.charCodeAt(i)) as number;
    return { cols, owner: lit.owner };
  });
  const n = 1 + countPrefixes(coded.map((c) => c.cols));
  const delta = new Int32Array(n * width).fill(-1);
  const ownersOf: (number[] | undefined)[] = [];
  let states = 1;
  for (const { cols, owner } of coded) {
    maxOwner = Math.max(maxOwner, owner);
    let s = 0;
    for (let i = 0; i < cols.length; i++) {
      const at = s * width + (cols[i] as number);
      let t = delta[at] as number;
      if (t < 0) {
        t = states++;
        delta[at] = t;
      }
      s = t;
    }
    (ownersOf[s] ??= []).push(owner);
  }

  // Breadth-first: failure links, missing transitions (those of the fail state), output links
  // (the fail state if it has owners, else its output link). A state reports its own owners
  // and those along its output links. States are renumbered in this order so that the
  // shallow, hot ones sit together.
  const fail = new Int32Array(n);
  const link = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 1;
  for (let col = 0; col < width; col++) {
    const t = delta[col] as number;
    if (t < 0) delta[col] = 0;
    else order[tail++] = t;
  }
  for (let head = 1; head < tail; head++) {
    const s = order[head] as number;
    const base = s * width;
    const fbase = (fail[s] as number) * width;
    for (let col = 0; col < width; col++) {
      const t = delta[base + col] as number;
      if (t < 0) {
        delta[base + col] = delta[fbase + col] as number;
      } else {
        const tf = delta[fbase + col] as number;
        fail[t] = tf;
        link[t] = ownersOf[tf] !== undefined ? tf : (link[tf] as number);
        order[tail++] = t;
      }
    }
  }
  const newId = new Int32Array(n);
  order.forEach((old, i) => (newId[old] = i));

  const wide = options.wide === true || n > NARROW_STATES;
  const seenAt = TRANSITIONS + n * width;
  const size = seenAt + n;
  const table = wide ? new Int32Array(size) : new Uint16Array(size);
  for (let c = 0; c < TRANSITIONS; c++) table[c] = columns.columnOf[c] as number;
  for (let s = 0; s < n; s++) {
    const from = s * width;
    const to = TRANSITIONS + (newId[s] as number);
    for (let col = 0; col < width; col++) table[to + col * n] = newId[delta[from + col] as number] as number;
  }
  const ownersStart = new Int32Array(n + 1);
  const outputLink = new Int32Array(n);
  const flat: number[] = [];
  let reporting = 0;
  for (let k = 0; k < n; k++) {
    const old = order[k] as number;
    ownersStart[k] = flat.length;
    for (const o of new Set(ownersOf[old] ?? [])) flat.push(o);
    outputLink[k] = newId[link[old] as number] as number;
    const reports = ownersStart[k] !== flat.length || outputLink[k] !== 0;
    if (reports) reporting++;
    table[seenAt + k] = reports ? 0 : NEVER;
  }
  ownersStart[n] = flat.length;
  return {
    states: n,
    width,
    table,
    seenAt,
    reporting,
    ownersStart,
    owners: Int32Array.from(flat),
    outputLink,
    owners1: literals.length === 0 ? 1 : maxOwner + 1,
  };
}

/** Distinct non-empty prefixes of the given sequences (= trie states besides the root). */
function countPrefixes(sequences: Uint8Array[]): number {
  const sorted = [...sequences].sort(compareBytes);
  let count = 0;
  let previous: Uint8Array = new Uint8Array(0);
  for (const seq of sorted) {
    let common = 0;
    while (common < seq.length && common < previous.length && seq[common] === previous[common]) common++;
    count += seq.length - common;
    previous = seq;
  }
  return count;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

function assignColumns(literals: readonly ScannerLiteral[]): {
  columnOf: Uint8Array;
  ofUnit: Map<number, number>;
  width: number;
} {
  const frequency = new Map<number, number>();
  for (const lit of literals) {
    for (let i = 0; i < lit.text.length; i++) {
      const u = lit.text.charCodeAt(i);
      frequency.set(u, (frequency.get(u) ?? 0) + 1);
    }
  }
  const ofUnit = new Map<number, number>();
  let width = 1; // column 0: units that occur in no literal
  const nonAscii: number[] = [];
  for (const u of [...frequency.keys()].sort((a, b) => a - b)) {
    if (u < 0x80) ofUnit.set(u, width++);
    else nonAscii.push(u);
  }
  if (nonAscii.length <= NON_ASCII_COLUMNS) {
    for (const u of nonAscii) ofUnit.set(u, width++);
  } else {
    for (const u of nonAscii) ofUnit.set(u, width + (u % NON_ASCII_COLUMNS));
    width += NON_ASCII_COLUMNS;
  }
  const canon = foldTable();
  const columnOf = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) columnOf[c] = ofUnit.get(canon[c] as number) ?? 0;
  return { columnOf, ofUnit, width };
}
