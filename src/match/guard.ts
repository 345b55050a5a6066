/**
 * A rule's `unless` regexes (src/kb/types.ts, RuleGuard) in the bank: asked only once one of the
 * rule's patterns has matched a text, so rules without a guard pay nothing and a guarded rule
 * pays only on its hits. Compiled on first use when the bank came from a plan (as its patterns).
 */
import type RE2 from 're2';
import { compilePattern } from './compile.js';

export class UnlessGuard {
  private compiled: RE2[] | null;

  constructor(
    private readonly sources: readonly string[],
    compiled?: RE2[],
  ) {
    this.compiled = compiled ?? null;
  }

  /** Whether any guard regex matches the text (its UTF-8 bytes, as the bank searches them). */
  silences(utf8: Buffer): boolean {
    // A plan's guards compiled the same way when the plan was made (the cache key holds the
    // RE2 version), so this cannot throw.
    const compiled = (this.compiled ??= this.sources.map(compilePattern));
    for (const re of compiled) if (re.test(utf8)) return true;
    return false;
  }
}
