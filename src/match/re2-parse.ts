/**
 * A parser for RE2 syntax (Perl-like flags, as node-re2 compiles), mirroring re2/parse.cc. It
 * exists only to extract literals for the prefilter, so it keeps what that needs: literal code
 * points, small character classes, structure, repetition bounds. Anything it does not model
 * exactly (Unicode groups, POSIX classes, \C, …) becomes `any`, which can never produce a wrong
 * literal. Input must already be accepted by RE2; on anything unexpected the parser throws
 * `UnsupportedSyntax` and the caller routes the pattern around the prefilter.
 */

export type RegexNode =
  /** Matches the empty string only (anchors, \b, empty groups). */
  | { type: 'empty' }
  /** One code point; `fold` when (?i) was in force. */
  | { type: 'char'; cp: number; fold: boolean }
  /** A class of code points given as sorted [lo, hi] pairs (after negation). */
  | { type: 'class'; ranges: number[]; fold: boolean }
  /** Some single character we do not enumerate (., \d, \pL, big classes). */
  | { type: 'any' }
  | { type: 'concat'; items: RegexNode[] }
  | { type: 'alt'; items: RegexNode[] }
  /** `max` is -1 when unbounded. */
  | { type: 'repeat'; min: number; max: number; item: RegexNode };

export class UnsupportedSyntax extends Error {
  override name = 'UnsupportedSyntax';
}

const MAX_RUNE = 0x10ffff;
/** Classes larger than this are not enumerated (they are useless as literals anyway). */
const MAX_CLASS_CODEPOINTS = 256;

const PERL_CLASSES: Readonly<Record<string, number[]>> = {
  d: [0x30, 0x39],
  s: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function isAsciiAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

/** Sorts and merges [lo, hi] pairs. */
function normaliseRanges(pairs: number[]): number[] {
  const list: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) list.push([pairs[i] as number, pairs[i + 1] as number]);
  list.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of list) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

function negateRanges(ranges: number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const hi = ranges[i + 1] as number;
    if (lo > next) out.push(next, lo - 1);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

function rangeSize(ranges: number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) n += (ranges[i + 1] as number) - (ranges[i] as number) + 1;
  return n;
}

interface Flags {
  fold: boolean;
}

class Parser {
  private readonly chars: string[];
  private pos = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  parse(): RegexNode {
    const node = this.parseAlternation({ fold: false }, false);
    if (this.pos !== this.chars.length) throw new UnsupportedSyntax(`unexpected ')' at ${this.pos}`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private fail(what: string): never {
    throw new UnsupportedSyntax(`${what} at ${this.pos}`);
  }

  /** Parses until end of input or the ')' closing the current group (not consumed). */
  private parseAlternation(outer: Flags, inGroup: boolean): RegexNode {
    // Flags set by (?i) last to the end of the group, across '|', as in RE2.
    const flags: Flags = { ...outer };
    const branches: RegexNode[] = [];
    let items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        if (inGroup) this.fail('missing )');
        break;
      }
      if (c === ')') {
        if (!inGroup) this.fail('unmatched )');
        break;
      }
      if (c === '|') {
        this.pos++;
        branches.push(concat(items));
        items = [];
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repetitionAhead() !== null)) {
        const prev = items.pop();
        if (prev === undefined) this.fail('missing argument to repetition');
        items.push(this.parseRepetition(prev));
        continue;
      }
      const atom = this.parseAtom(flags);
      if (Array.isArray(atom)) items.push(...atom);
      else if (atom !== null) items.push(atom);
    }
    branches.push(concat(items));
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alt', items: branches };
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, else null (then '{' is a literal, as in RE2). */
  private repetitionAhead(): { min: number; max: number; length: number } | null {
    const rest = this.chars.slice(this.pos, this.pos + 24).join('');
    // re2 ParseInteger: ASCII digits, no leading zeros.
    const m = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(rest);
    if (m === null) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === undefined ? -1 : Number(m[3]);
    return { min, max, length: Array.from(m[0]).length };
  }

  private parseRepetition(item: RegexNode): RegexNode {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') {
      min = 0;
      max = -1;
      this.pos++;
    } else if (c === '+') {
      min = 1;
      max = -1;
      this.pos++;
    } else if (c === '?') {
      min = 0;
      max = 1;
      this.pos++;
    } else {
      const rep = this.repetitionAhead();
      if (rep === null) this.fail('bad repetition');
      min = rep.min;
      max = rep.max;
      this.pos += rep.length;
    }
    if (this.peek() === '?') this.pos++; // non-greedy: same language
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.repetitionAhead() !== null)) {
      this.fail('stacked repetition');
    }
    return { type: 'repeat', min, max, item };
  }

  /**
   * One atom; several for \Q…\E (each character is its own atom, so a following quantifier
   * applies to the last one only, as in RE2); null for a flag-only group like (?i), which
   * changes `flags` in place.
   */
  private parseAtom(flags: Flags): RegexNode | RegexNode[] | null {
    const c = this.peek() as string;
    switch (c) {
      case '(':
        return this.parseGroup(flags);
      case '^':
      case '$':
        this.pos++;
        return { type: 'empty' };
      case '.':
        this.pos++;
        return { type: 'any' };
      case '[':
        return this.parseClass(flags);
      case '\\':
        return this.parseEscapeAtom(flags);
      default:
        this.pos++;
        return { type: 'char', cp: c.codePointAt(0) as number, fold: flags.fold };
    }
  }

  private parseGroup(flags: Flags): RegexNode | null {
    this.pos++; // '('
    if (this.peek() !== '?') return this.finishGroup(flags);
    // (?P<name>…) and (?<name>…)
    if ((this.peek(1) === 'P' && this.peek(2) === '<') || this.peek(1) === '<') {
      const start = this.pos + (this.peek(1) === 'P' ? 3 : 2);
      let end = start;
      while (end < this.chars.length && this.chars[end] !== '>') end++;
      if (end >= this.chars.length || end === start) this.fail('bad named capture');
      this.pos = end + 1;
      return this.finishGroup(flags);
    }
    this.pos++; // '?'
    const inner: Flags = { ...flags };
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const f = this.peek();
      this.pos++;
      if (f === 'i') {
        inner.fold = !negated;
        sawFlag = true;
      } else if (f === 'm' || f === 's' || f === 'U') {
        sawFlag = true; // no effect on which literals a match contains
      } else if (f === '-') {
        if (negated) this.fail('bad flags');
        negated = true;
        sawFlag = false;
      } else if (f === ':') {
        return this.finishGroup(inner);
      } else if (f === ')') {
        if (negated && !sawFlag) this.fail('bad flags');
        flags.fold = inner.fold;
        return null;
      } else {
        this.fail('unsupported group');
      }
    }
  }

  private finishGroup(flags: Flags): RegexNode {
    const body = this.parseAlternation(flags, true);
    if (this.peek() !== ')') this.fail('missing )');
    this.pos++;
    return body;
  }

  private parseEscapeAtom(flags: Flags): RegexNode | RegexNode[] {
    const next = this.peek(1);
    if (next === undefined) this.fail('trailing \\');
    if (next === 'b' || next === 'B' || next === 'A' || next === 'z') {
      this.pos += 2;
      return { type: 'empty' };
    }
    if (next === 'C') {
      this.pos += 2;
      return { type: 'any' };
    }
    if (next === 'Q') {
      this.pos += 2;
      const items: RegexNode[] = [];
      while (this.pos < this.chars.length) {
        if (this.peek() === '\\' && this.peek(1) === 'E') {
          this.pos += 2;
          break;
        }
        items.push({ type: 'char', cp: (this.peek() as string).codePointAt(0) as number, fold: flags.fold });
        this.pos++;
      }
      return items;
    }
    if (next === 'p' || next === 'P') {
      this.skipUnicodeGroup();
      return { type: 'any' };
    }
    const perl = this.perlClass();
    if (perl !== null) return perl.negated ? { type: 'any' } : { type: 'class', ranges: perl.ranges, fold: flags.fold };
    return { type: 'char', cp: this.parseEscape(), fold: flags.fold };
  }

  /** \d \s \w and their negations at the cursor (consumed), else null. */
  private perlClass(): { ranges: number[]; negated: boolean } | null {
    if (this.peek() !== '\\') return null;
    const letter = this.peek(1);
    if (letter === undefined) return null;
    const ranges = PERL_CLASSES[letter.toLowerCase()];
    if (ranges === undefined || !/^[dswDSW]$/.test(letter)) return null;
    this.pos += 2;
    return { ranges, negated: letter !== letter.toLowerCase() };
  }

  /** \pL, \p{Greek}, \P{^L}: consumed; never enumerated. */
  private skipUnicodeGroup(): void {
    this.pos += 2;
    if (this.peek() === '{') {
      while (this.pos < this.chars.length && this.peek() !== '}') this.pos++;
      if (this.peek() !== '}') this.fail('bad unicode group');
      this.pos++;
    } else {
      if (this.peek() === undefined) this.fail('bad unicode group');
      this.pos++;
    }
  }

  /** An escape standing for one code point (re2 ParseEscape). */
  private parseEscape(): number {
    this.pos++; // backslash
    const c = this.peek();
    if (c === undefined) this.fail('trailing \\');
    this.pos++;
    if (c >= '1' && c <= '7') {
      if (!isOctal(this.peek())) this.fail('backreference');
    }
    if (c >= '0' && c <= '7') {
      let code = c.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && isOctal(this.peek()); k++) {
        code = code * 8 + ((this.peek() as string).charCodeAt(0) - 48);
        this.pos++;
      }
      return code;
    }
    switch (c) {
      case 'x': {
        if (this.peek() === '{') {
          this.pos++;
          let digits = '';
          while (isHex(this.peek())) digits += this.chars[this.pos++] as string;
          if (this.peek() !== '}' || digits.length === 0) this.fail('bad \\x{}');
          this.pos++;
          const code = parseInt(digits, 16);
          if (code > MAX_RUNE) this.fail('bad \\x{}');
          return code;
        }
        const h1 = this.peek();
        const h2 = this.peek(1);
        if (!isHex(h1) || !isHex(h2)) this.fail('bad \\x');
        this.pos += 2;
        return parseInt((h1 as string) + (h2 as string), 16);
      }
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 'v':
        return 0x0b;
      default: {
        const cp = c.codePointAt(0) as number;
        if (cp < 0x80 && !isAsciiAlnum(c)) return cp;
        return this.fail('bad escape');
      }
    }
  }

  private parseClass(flags: Flags): RegexNode {
    this.pos++; // '['
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const pairs: number[] = [];
    let unknown = false;
    let first = true;
    while (this.pos < this.chars.length && (this.peek() !== ']' || first)) {
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        // re2 looks for the first ":]" anywhere after "[:"; the name must then be valid.
        let end = -1;
        for (let q = this.pos + 2; q + 1 < this.chars.length; q++) {
          if (this.chars[q] === ':' && this.chars[q + 1] === ']') {
            end = q;
            break;
          }
        }
        if (end >= 0) {
          this.pos = end + 2;
          unknown = true;
          continue;
        }
      }
      if (this.peek() === '\\' && (this.peek(1) === 'p' || this.peek(1) === 'P')) {
        this.skipUnicodeGroup();
        unknown = true;
        continue;
      }
      const perl = this.perlClass();
      if (perl !== null) {
        if (perl.negated) unknown = true;
        else pairs.push(...perl.ranges);
        continue;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) this.fail('bad range');
      }
      pairs.push(lo, hi);
    }
    if (this.peek() !== ']') this.fail('missing ]');
    this.pos++;
    if (unknown) return { type: 'any' };
    let ranges = normaliseRanges(pairs);
    if (negated) ranges = negateRanges(ranges);
    if (rangeSize(ranges) > MAX_CLASS_CODEPOINTS) return { type: 'any' };
    return { type: 'class', ranges, fold: flags.fold };
  }

  private classChar(): number {
    const c = this.peek();
    if (c === undefined) this.fail('missing ]');
    if (c === '\\') return this.parseEscape();
    this.pos++;
    return c.codePointAt(0) as number;
  }
}

function concat(items: RegexNode[]): RegexNode {
  if (items.length === 0) return { type: 'empty' };
  if (items.length === 1) return items[0] as RegexNode;
  return { type: 'concat', items };
}

/** Parses a pattern already in RE2 syntax (see `toRe2Syntax`). Throws `UnsupportedSyntax`. */
export function parseRe2(pattern: string): RegexNode {
  return new Parser(pattern).parse();
}
