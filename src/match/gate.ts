/**
 * Gates: a cheap, exact-safe precondition for a pattern branch that has no usable literal, so
 * that it need not go through RE2.Set on every record. E.g. the `6.4` branch of
 * `(?i)(tiananmen|…|6.4|…)` or `\\[0-9]{3}\\[0-9]{3}`: a match starts with a fixed sequence of
 * single code points ("6", any, "4"; "\", a digit, a digit, …), its skeleton. A text in which
 * the skeleton occurs nowhere cannot match the branch, so the gate may only over-approximate:
 * positions it cannot describe become "any code point", and it stops at the first variable
 * part (a repetition with min < max, an alternation). Measured on the deadends bank: the two
 * patterns cost ~1.2 µs per record through RE2.Set (and a UTF-8 copy of every record); their
 * gates cost a few string searches.
 */
import { foldTable } from './case-fold.js';
import { foldCodePoint } from './prefilter.js';
import type { RegexNode } from './re2-parse.js';

/** Folded BMP units one position can be; null: any one code point (1 or 2 UTF-16 units). */
export type Position = Uint16Array | null;

/** A class becomes a set position only with at most this many folded members, else "any". */
const MAX_SET = 16;

/** Appends the skeleton of `node` to `out`; false when the rest of the match is not fixed. */
function skeleton(node: RegexNode, out: Position[]): boolean {
  switch (node.type) {
    case 'empty':
      return true;
    case 'any':
      out.push(null);
      return true;
    case 'char': {
      const s = foldCodePoint(node.cp, node.fold);
      // Astral (two units) or unfoldable: one code point whose units we do not pin down.
      out.push(s === null || s.length !== 1 ? null : Uint16Array.of(s.charCodeAt(0)));
      return true;
    }
    case 'class': {
      const members = new Set<number>();
      let any = false;
      for (let i = 0; i + 1 < node.ranges.length && !any; i += 2) {
        for (let cp = node.ranges[i] as number; cp <= (node.ranges[i + 1] as number); cp++) {
          const s = foldCodePoint(cp, node.fold);
          if (s === null || s.length !== 1 || members.size >= MAX_SET) {
            any = true;
            break;
          }
          members.add(s.charCodeAt(0));
        }
      }
      out.push(any || members.size === 0 ? null : Uint16Array.from(members));
      return true;
    }
    case 'concat':
      for (const item of node.items) if (!skeleton(item, out)) return false;
      return true;
    case 'repeat':
      for (let k = 0; k < node.min; k++) if (!skeleton(node.item, out)) return false;
      return node.max === node.min;
    case 'alt':
      return false;
  }
}

function isHigh(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}

function isLow(u: number): boolean {
  return u >= 0xdc00 && u <= 0xdfff;
}

/**
 * Finds the skeleton by hand: indexOf for the first position when one unit folds to it, then a
 * check of the positions after it. (A V8 RegExp of the skeleton measured slower: 0.59 vs
 * 0.42 µs per record for the two deadends gates.)
 */
export class Gate {
  /** Positions after the first; the first is always a set. */
  private readonly rest: Position[];
  private readonly first: Uint16Array;
  /** The one raw unit the first position can be, or null (then every unit is folded). */
  private readonly firstRaw: string | null;
  private readonly canon: Uint16Array;

  /** What the gate was made from (the rule cache stores it). */
  readonly positions: readonly Position[];

  constructor(positions: readonly Position[]) {
    this.positions = positions;
    this.canon = foldTable();
    this.first = positions[0] as Uint16Array;
    this.rest = positions.slice(1);
    // The units folding into the first set, up to two: a mark per folded unit rather than an
    // `includes` per unit (65,536 typed-array calls per gate were ~30 ms of a start).
    const inFirst = new Uint8Array(0x10000);
    for (const c of this.first) inFirst[c] = 1;
    const raw: number[] = [];
    for (let u = 0; u < 0x10000 && raw.length < 2; u++) if (inFirst[this.canon[u] as number] === 1) raw.push(u);
    this.firstRaw = raw.length === 1 ? String.fromCharCode(raw[0] as number) : null;
  }

  /** Whether the skeleton occurs in `text` (false means the branch cannot match). */
  test(text: string): boolean {
    const firstRaw = this.firstRaw;
    if (firstRaw !== null) {
      for (let i = text.indexOf(firstRaw); i >= 0; i = text.indexOf(firstRaw, i + 1)) {
        if (this.restAt(text, i + 1)) return true;
      }
      return false;
    }
    const canon = this.canon;
    for (let i = 0, n = text.length; i < n; i++) {
      if (this.first.includes(canon[text.charCodeAt(i)] as number) && this.restAt(text, i + 1)) return true;
    }
    return false;
  }

  private restAt(text: string, from: number): boolean {
    const n = text.length;
    const canon = this.canon;
    let j = from;
    for (const p of this.rest) {
      if (j >= n) return false;
      const u = text.charCodeAt(j);
      if (p === null) {
        // One code point: a surrogate pair is one (RE2 sees the astral character).
        j += isHigh(u) && j + 1 < n && isLow(text.charCodeAt(j + 1)) ? 2 : 1;
      } else if (p.includes(canon[u] as number)) {
        j++;
      } else {
        return false;
      }
    }
    return true;
  }
}

/**
 * The gate of a branch, or null when its skeleton would not be selective: it needs at least two
 * set positions (a lone digit or letter is in nearly every record).
 */
export function gateOf(branch: RegexNode): Gate | null {
  const positions: Position[] = [];
  skeleton(branch, positions);
  while (positions.length > 0 && positions[0] === null) positions.shift();
  while (positions.length > 0 && positions[positions.length - 1] === null) positions.pop();
  if (positions.filter((p) => p !== null).length < 2) return null;
  return new Gate(positions);
}
