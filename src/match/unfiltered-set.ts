/**
 * Patterns the literal prefilter cannot serve, checked together through RE2.Set (one DFA pass
 * for several of them), in small chunks: a Set's DFA slows down sharply as it grows (bank.ts
 * has the figures) and a large one does not compile at all.
 * A chunk RE2 cannot build, or whose match fails at run time (RE2.Set throws "out of memory"
 * rather than answering wrongly), falls back to testing its patterns one by one: slower, never
 * wrong.
 */
import RE2 from 're2';
import { PATTERN_FLAGS } from './compile.js';
import type { StampSet } from './stamp-set.js';

export interface SetPattern {
  /** Bank-wide pattern id, reported when the pattern matches. */
  id: number;
  source: string;
  re: RE2;
}

export type Re2Set = Pick<InstanceType<typeof RE2.Set>, 'match'>;

function makeSet(sources: string[]): Re2Set {
  return new RE2.Set(sources, PATTERN_FLAGS);
}

interface Chunk {
  set: Re2Set | null;
  patterns: SetPattern[];
}

export class UnfilteredSet {
  private chunks: Chunk[];
  /** How many times a chunk had to be checked pattern by pattern (for stats and tests). */
  fallbacks = 0;

  /** `build` is for tests, to stand in for an RE2.Set that cannot be built or fails. */
  constructor(patterns: readonly SetPattern[], chunkSize: number, build: (sources: string[]) => Re2Set = makeSet) {
    this.chunks = [];
    for (let i = 0; i < patterns.length; i += chunkSize) {
      const slice = patterns.slice(i, i + chunkSize);
      let set: Re2Set | null = null;
      try {
        set = build(slice.map((p) => p.source));
      } catch {
        set = null;
      }
      this.chunks.push({ set, patterns: slice });
    }
  }

  get size(): number {
    return this.chunks.reduce((n, c) => n + c.patterns.length, 0);
  }

  /** Adds to `found` the id of every pattern that matches `utf8`. */
  match(utf8: Buffer, found: StampSet): void {
    for (const chunk of this.chunks) {
      let hits: number[] | null = null;
      if (chunk.set !== null) {
        try {
          hits = chunk.set.match(utf8);
        } catch {
          hits = null;
        }
      }
      if (hits !== null) {
        for (const h of hits) found.add((chunk.patterns[h] as SetPattern).id);
      } else {
        this.fallbacks++;
        for (const p of chunk.patterns) if (p.re.test(utf8)) found.add(p.id);
      }
    }
  }

  close(): void {
    this.chunks = [];
  }
}
