/**
 * All prefiltered patterns of a bank behind one literal scan: finds the atoms in a text
 * (literal-scanner.ts), wakes the units (alternatives of a pattern's condition) whose trigger
 * atoms were found, and keeps the patterns with a unit whose condition holds. What is left are
 * the candidates whose regex must run. Waking units rather than whole patterns means a pattern
 * like `(a.*b|c.*d|…)` only checks the alternative whose rare atom was actually seen.
 */
import { Gate } from './gate.js';
import { LiteralScanner, type ScannerLiteral, type ScannerTables } from './literal-scanner.js';
import type { Condition, PrefilterUnit } from './prefilter.js';
import { StampSet } from './stamp-set.js';

export interface IndexedPattern {
  /** Bank-wide pattern id. */
  id: number;
  units: PrefilterUnit[];
  /** Alternatives without literals, each behind a gate (gate.ts) checked on every text. */
  gates?: Gate[];
}

const ATOM = 0;
const AND = 1;
const OR = 2;

/** A condition over atom ids; one object shape for all kinds keeps `holds` monomorphic. */
class Compiled {
  constructor(
    readonly kind: typeof ATOM | typeof AND | typeof OR,
    readonly atom: number,
    readonly items: readonly Compiled[],
  ) {}
}

function holds(c: Compiled, found: LiteralScanner): boolean {
  if (c.kind === ATOM) return found.has(c.atom);
  if (c.kind === AND) {
    for (const item of c.items) if (!holds(item, found)) return false;
    return true;
  }
  for (const item of c.items) if (holds(item, found)) return true;
  return false;
}

/**
 * The same condition with an AND's trigger atoms moved last: a woken unit's trigger is known to
 * be present, so the other atoms decide, and checking them first ends a failing AND sooner.
 */
function checkOthersFirst(c: Compiled, trigger: ReadonlySet<number>): Compiled {
  if (c.kind !== AND) return c;
  const isTrigger = (item: Compiled): boolean => item.kind === ATOM && trigger.has(item.atom);
  return new Compiled(AND, -1, [...c.items.filter((i) => !isTrigger(i)), ...c.items.filter(isTrigger)]);
}

/** A unit's condition as plain data: [kind, atom, items]. */
type ConditionTables = [number, number, ConditionTables[]];

/** What an index is made of, as plain data and typed arrays (the rule cache stores it). */
export interface IndexTables {
  atoms: number;
  scanner: ScannerTables;
  wakeStart: Int32Array;
  wakes: Int32Array;
  unitPattern: Int32Array;
  unitCondition: (ConditionTables | null)[];
  andStart: Int32Array;
  andEnd: Int32Array;
  andAtoms: Int32Array;
  gatePattern: Int32Array;
  /** Each gate's positions (null: any code point). */
  gates: (number[] | null)[][];
}

function conditionTables(c: Compiled): ConditionTables {
  return [c.kind, c.atom, c.items.map(conditionTables)];
}

function conditionOf(t: ConditionTables): Compiled {
  return new Compiled(t[0] as Compiled['kind'], t[1], t[2].map(conditionOf));
}

/**
 * Stands in for the condition of a unit checked through andAtoms, which `candidates` never
 * reads: made from tables, such units (nearly all of them) are not revived as objects (~25 ms
 * of a cached start at 2,500 rules); their tables are kept for `tables()`.
 */
const FLAT_AND = new Compiled(AND, -1, []);

export class PrefilterIndex {
  readonly atoms: number;
  private readonly scanner: LiteralScanner;
  private readonly woken: StampSet;
  /** Units woken by atom a: wakes[wakeStart[a] .. wakeStart[a+1]). */
  private readonly wakeStart: Int32Array;
  private readonly wakes: Int32Array;
  /** Per unit: its pattern id, and its condition or null when a trigger atom is enough. */
  private readonly unitPattern: Int32Array;
  private readonly unitCondition: (Compiled | null)[];
  /**
   * Most conditions are an AND of atoms (measured on deadends: 11.4 of 11.7 units woken per
   * record have a condition, nearly all ANDs of 2-3 atoms). Those are kept flat, as atom ids in
   * andAtoms[andStart[u] .. andStart[u+1]), and checked without the recursive `holds`;
   * andStart[u] = -1 for the other units.
   */
  private readonly andStart: Int32Array;
  private readonly andEnd: Int32Array;
  private readonly andAtoms: Int32Array;
  /** Gated alternatives: their pattern ids and gates, in pattern order. */
  private readonly gatePattern: Int32Array;
  private readonly gates: Gate[];
  /** The conditions as given, when made from tables (FLAT_AND stands in for some of them). */
  private readonly givenConditions: (ConditionTables | null)[] | null;

  /** From the patterns, or from another index's `tables()`. */
  constructor(input: readonly IndexedPattern[] | IndexTables) {
    if (!Array.isArray(input)) {
      const t = input as IndexTables;
      // Assigned in the order the build below assigns them: one hidden class for both.
      this.gates = t.gates.map((g) => new Gate(g.map((p) => (p === null ? null : Uint16Array.from(p)))));
      this.gatePattern = t.gatePattern;
      this.unitCondition = t.unitCondition.map((c, u) => (c === null ? null : (t.andStart[u] as number) >= 0 ? FLAT_AND : conditionOf(c)));
      this.givenConditions = t.unitCondition;
      this.unitPattern = t.unitPattern;
      this.andStart = t.andStart;
      this.andEnd = t.andEnd;
      this.andAtoms = t.andAtoms;
      this.atoms = t.atoms;
      this.scanner = new LiteralScanner(t.scanner);
      this.woken = new StampSet(Math.max(t.unitPattern.length, 1));
      this.wakeStart = t.wakeStart;
      this.wakes = t.wakes;
      return;
    }
    const patterns = input as readonly IndexedPattern[];
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
          return new Compiled(ATOM, idOf(c.text), []);
        case 'and':
          return new Compiled(AND, -1, c.items.map(compile));
        case 'or':
          return new Compiled(OR, -1, c.items.map(compile));
        case 'all':
          throw new Error('an indexed pattern needs a condition');
      }
    };

    const gatePattern: number[] = [];
    this.gates = [];
    for (const p of patterns) {
      for (const gate of p.gates ?? []) {
        gatePattern.push(p.id);
        this.gates.push(gate);
      }
    }
    this.gatePattern = Int32Array.from(gatePattern);

    const unitPattern: number[] = [];
    this.unitCondition = [];
    this.givenConditions = null;
    const wakeLists: number[][] = [];
    for (const p of patterns) {
      for (const unit of p.units) {
        const compiled = compile(unit.condition);
        const trigger = unit.trigger.map(idOf);
        // A trigger that is the whole condition needs no second look.
        const sufficient =
          compiled.kind === ATOM ||
          (compiled.kind === OR && compiled.items.every((c) => c.kind === ATOM) && compiled.items.length === trigger.length);
        const u = unitPattern.length;
        unitPattern.push(p.id);
        this.unitCondition.push(sufficient ? null : checkOthersFirst(compiled, new Set(trigger)));
        for (const a of trigger) (wakeLists[a] ??= []).push(u);
      }
    }
    this.unitPattern = Int32Array.from(unitPattern);
    this.andStart = new Int32Array(unitPattern.length).fill(-1);
    this.andEnd = new Int32Array(unitPattern.length).fill(-1);
    const andAtoms: number[] = [];
    this.unitCondition.forEach((c, u) => {
      if (c === null || c.kind !== AND || !c.items.every((i) => i.kind === ATOM)) return;
      this.andStart[u] = andAtoms.length;
      for (const item of c.items) andAtoms.push(item.atom);
      this.andEnd[u] = andAtoms.length;
    });
    this.andAtoms = Int32Array.from(andAtoms);

    this.atoms = atomIds.size;
    const literals: ScannerLiteral[] = [...atomIds].map(([text, owner]) => ({ text, owner }));
    this.scanner = new LiteralScanner(literals);
    this.woken = new StampSet(Math.max(unitPattern.length, 1));
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
    for (let g = 0; g < this.gates.length; g++) {
      const pattern = this.gatePattern[g] as number;
      if (!candidates.has(pattern) && (this.gates[g] as Gate).test(text)) candidates.add(pattern);
    }
    if (count === 0) return;
    const found = scanner.found;
    const woken = this.woken;
    woken.clear();
    for (let i = 0; i < count; i++) {
      const atom = found[i] as number;
      for (let k = this.wakeStart[atom] as number, end = this.wakeStart[atom + 1] as number; k < end; k++) {
        const unit = this.wakes[k] as number;
        if (woken.has(unit)) continue;
        woken.add(unit);
        const pattern = this.unitPattern[unit] as number;
        if (candidates.has(pattern)) continue;
        const start = this.andStart[unit] as number;
        if (start >= 0) {
          const end = this.andEnd[unit] as number;
          let k = start;
          while (k < end && scanner.has(this.andAtoms[k] as number)) k++;
          if (k === end) candidates.add(pattern);
          continue;
        }
        const condition = this.unitCondition[unit];
        if (condition === null || condition === undefined || holds(condition, scanner)) candidates.add(pattern);
      }
    }
  }

  /** The index as data, to make an equal one without building it (`new PrefilterIndex(tables)`). */
  tables(): IndexTables {
    return {
      atoms: this.atoms,
      scanner: this.scanner.tables(),
      wakeStart: this.wakeStart,
      wakes: this.wakes,
      unitPattern: this.unitPattern,
      unitCondition: this.givenConditions ?? this.unitCondition.map((c) => (c === null ? null : conditionTables(c))),
      andStart: this.andStart,
      andEnd: this.andEnd,
      andAtoms: this.andAtoms,
      gatePattern: this.gatePattern,
      gates: this.gates.map((g) => g.positions.map((p) => (p === null ? null : [...p]))),
    };
  }

  /** Bytes held by the scanner tables (the bulk of the index). */
  get bytes(): number {
    return this.scanner.bytes;
  }

  get states(): number {
    return this.scanner.states;
  }
}
