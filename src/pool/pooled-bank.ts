/**
 * A bank whose matching can run on the pool: the main thread's bank (the one the rules were
 * judged and compiled with, whose rule list tagging reads) plus the pool generation built from
 * the same rules. The bank holder swaps and closes it like any bank; closing frees the
 * generation in every thread too. `match` still answers on the calling thread.
 */
import type { MatcherBank, RuleMatch } from '../match/types.js';
import type { MatcherPool } from './matcher-pool.js';

export class PooledBank implements MatcherBank {
  private closed = false;

  constructor(
    readonly inner: MatcherBank,
    private readonly pool: MatcherPool,
    readonly generation: number,
  ) {}

  get rules(): MatcherBank['rules'] {
    return this.inner.rules;
  }

  get stats(): MatcherBank['stats'] {
    return this.inner.stats;
  }

  match(text: string): RuleMatch[] {
    return this.inner.match(text);
  }

  /** The matches of every text, worked out on the pool's threads, all by this bank's rules. */
  matchAll(texts: readonly string[]): Promise<RuleMatch[][]> {
    if (this.closed) return Promise.reject(new Error('matcher bank is closed'));
    return this.pool.match(this.generation, texts);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pool.drop(this.generation);
    this.inner.close();
  }
}

/** Builds `bank`'s rules in every thread; the bank is closed when that fails. */
export async function poolBank(pool: MatcherPool, bank: MatcherBank): Promise<PooledBank> {
  try {
    return new PooledBank(bank, pool, await pool.load(bank.rules));
  } catch (err) {
    bank.close();
    throw err;
  }
}

export function isPooled(bank: MatcherBank): bank is PooledBank {
  return bank instanceof PooledBank;
}
