import type { MatcherBank } from '../match/types.js';

/** A bank in use by one batch; released when the batch is done with it. */
export interface BankLease {
  readonly bank: MatcherBank;
  release(): void;
}

/**
 * The worker's rule bank, read once per batch. `swap` installs a new bank for the next batches
 * (live rule reload); the old bank is closed once the batches still using it are done, never
 * under a batch's feet.
 */
export class BankHolder {
  private bank: MatcherBank;
  private readonly leases = new Map<MatcherBank, number>();
  private readonly retired = new Set<MatcherBank>();
  private closed = false;

  constructor(initial: MatcherBank) {
    this.bank = initial;
  }

  current(): MatcherBank {
    return this.bank;
  }

  acquire(): BankLease {
    if (this.closed) throw new Error('the rule bank holder is closed');
    const bank = this.bank;
    this.leases.set(bank, (this.leases.get(bank) ?? 0) + 1);
    let released = false;
    return {
      bank,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.leases.get(bank) ?? 1) - 1;
        if (left > 0) {
          this.leases.set(bank, left);
          return;
        }
        this.leases.delete(bank);
        if (this.retired.delete(bank)) bank.close();
      },
    };
  }

  swap(next: MatcherBank): void {
    if (this.closed) throw new Error('the rule bank holder is closed');
    if (next === this.bank) return;
    const old = this.bank;
    this.bank = next;
    this.retire(old);
  }

  /** Closes the current bank (and any retired one once released). For shutdown. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.retire(this.bank);
  }

  private retire(bank: MatcherBank): void {
    if ((this.leases.get(bank) ?? 0) > 0) this.retired.add(bank);
    else bank.close();
  }
}
