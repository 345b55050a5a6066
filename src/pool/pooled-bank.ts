/**
 * A bank whose matching runs on the pool: the rules the main thread judged and compiled (tagging
 * reads its rule list) and the pool generation built from them. The main thread's compiled bank
 * is closed as soon as the threads have theirs: at 2,522 rules a bank holds ~85 MB, and with
 * the threads' banks it would only sit there. Should anything match on the main thread anyway,
 * a bank is compiled again for it, once. The bank holder swaps and closes a PooledBank like any
 * bank; closing frees the generation in every thread.
 */
import { buildBank } from '../match/bank.js';
import type { MatcherBank, RuleMatch } from '../match/types.js';
import type { MatcherPool } from './matcher-pool.js';

export class PooledBank implements MatcherBank {
  readonly rules: MatcherBank['rules'];
  readonly stats: MatcherBank['stats'];
  private local: MatcherBank | undefined;
  private closed = false;

  constructor(
    compiled: MatcherBank,
    private readonly pool: MatcherPool,
    readonly generation: number,
  ) {
    this.rules = compiled.rules;
    this.stats = compiled.stats;
    compiled.close();
  }

  match(text: string): RuleMatch[] {
    if (this.closed) throw new Error('matcher bank is closed');
    this.local ??= buildBank(this.rules).bank;
    return this.local.match(text);
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
    this.local?.close();
  }
}

/** Builds `bank`'s rules in every thread and closes `bank` (see PooledBank); closed too when that fails. */
export async function poolBank(pool: MatcherPool, bank: MatcherBank): Promise<PooledBank> {
  let generation: number;
  try {
    generation = await pool.load(bank.rules);
  } catch (err) {
    bank.close();
    throw err;
  }
  return new PooledBank(bank, pool, generation);
}

export function isPooled(bank: MatcherBank): bank is PooledBank {
  return bank instanceof PooledBank;
}
