/**
 * All prefiltered patterns of a bank behind one literal scan: finds the atoms in a text
 * (literal-scanner.ts), wakes the patterns whose trigger atoms were found, and keeps those whose
 * whole condition holds. What is left are the candidates whose regex must run.
 */
import { LiteralScanner, type ScannerLiteral } from './literal-scanner.js';
import type { Condition } from './prefilter.js';
import { StampSet } from './stamp-set.js';

export interface IndexedPattern {
  /** Bank-wide pattern id. */
  id: number;
  condition: Condition;
  trigger: string[];
}

/** A condition over atom ids: an id, or an AND / OR of conditions. */
type Compiled = number | { and: Compiled[] } | { or: Compiled[] };

function holds(c: Compiled, found: LiteralScanner): boolean {
  if (typeof c === 'number') return found.has(c);
  if ('and' in c) {
    for (const item of c.and) if (!holds(item, found)) return false;
    return true;
  }
  for (const item of c.or) if (holds(item, found)) return true;
  return false;
}

export class PrefilterIndex {
  readonly atoms: number;
  private readonly scanner: LiteralScanner;
  private readonly woken: StampSet;
  /** Patterns woken by atom a: wakes[wakeStart[a] .. wakeStart[a+1]). */
  private readonly wakeStart: Int32Array;
  private readonly wakes: Int32Array;
  /** Per pattern id: its condition, or null when finding a trigger atom is already enough. */
  private readonly conditions: (Compiled | null)[];

  constructor(patterns: readonly IndexedPattern[], patternCount: number) {
    const atomIds = new Map<string, number>();
    const idOf = (text: string): number => {
      let id = atomIds.get(text);
      if (id === undefined) {
        id = atomIds.size;
        atomIds.set(text, id);
      }
      return id;
    };
    const compile = (c: Condition): Compiled => {
      switch (c.op) {
        case 'atom':
          return idOf(c.text);
        case 'and':
          return { and: c.items.map(compile) };
        case 'or':
          return { or: c.items.map(compile) };
        case 'all':
          throw new Error('an indexed pattern needs a condition');
      }
    };

    this.conditions = new Array<Compiled | null>(patternCount).fill(null);
    const wakeLists: number[][] = [];
    for (const p of patterns) {
      const compiled = compile(p.condition);
      const trigger = p.trigger.map(idOf);
      // A trigger that is the whole condition needs no second look.
      const sufficient =
        typeof compiled === 'number' ||
        ('or' in compiled && compiled.or.every((c) => typeof c === 'number') && compiled.or.length === trigger.length);
      this.conditions[p.id] = sufficient ? null : compiled;
      for (const a of trigger) (wakeLists[a] ??= []).push(p.id);
    }

    this.atoms = atomIds.size;
    const literals: ScannerLiteral[] = [...atomIds].map(([text, owner]) => ({ text, owner }));
    this.scanner = new LiteralScanner(literals);
    this.woken = new StampSet(Math.max(patternCount, 1));
    this.wakeStart = new Int32Array(this.atoms + 1);
    const flat: number[] = [];
    for (let a = 0; a < this.atoms; a++) {
      this.wakeStart[a] = flat.length;
      flat.push(...(wakeLists[a] ?? []));
    }
    this.wakeStart[this.atoms] = flat.length;
    this.wakes = Int32Array.from(flat);
  }

  /** Adds to `candidates` every pattern whose condition holds in `text`. */
  candidates(text: string, candidates: StampSet): void {
    const scanner = this.scanner;
    const count = scanner.scan(text);
    if (count === 0) return;
    const found = scanner.found;
    const woken = this.woken;
    woken.clear();
    for (let i = 0; i < count; i++) {
      const atom = found[i] as number;
      for (let k = this.wakeStart[atom] as number, end = this.wakeStart[atom + 1] as number; k < end; k++) {
        const id = this.wakes[k] as number;
        if (woken.has(id)) continue;
        woken.add(id);
        const condition = this.conditions[id];
        if (condition === null || condition === undefined || holds(condition, scanner)) candidates.add(id);
      }
    }
  }

  /** Bytes held by the scanner tables (the bulk of the index). */
  get bytes(): number {
    return this.scanner.bytes;
  }

  get states(): number {
    return this.scanner.states;
  }
}
