import { describe, expect, it } from 'vitest';
import { BankHolder } from '../../src/ruleset/bank-holder.js';
import { fakeBank } from '../worker/support/fake-core.js';

describe('BankHolder', () => {
  it('closes a swapped-out bank at once when no batch uses it', () => {
    const a = fakeBank();
    const b = fakeBank();
    const h = new BankHolder(a);
    h.swap(b);
    expect(h.current()).toBe(b);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
  });

  it('closes a swapped-out bank only when the last batch using it releases it', () => {
    const a = fakeBank();
    const h = new BankHolder(a);
    const l1 = h.acquire();
    const l2 = h.acquire();
    h.swap(fakeBank());
    expect(a.closed).toBe(false);
    l1.release();
    l1.release();
    expect(a.closed).toBe(false);
    l2.release();
    expect(a.closed).toBe(true);
  });

  it('gives batches started after a swap the new bank', () => {
    const h = new BankHolder(fakeBank());
    const b = fakeBank();
    h.swap(b);
    expect(h.acquire().bank).toBe(b);
  });

  it('close waits for batches in flight too', () => {
    const a = fakeBank();
    const h = new BankHolder(a);
    const lease = h.acquire();
    h.close();
    expect(a.closed).toBe(false);
    lease.release();
    expect(a.closed).toBe(true);
    expect(() => h.acquire()).toThrow();
  });
});
