import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlightStore } from '../../src/worker/inflight-store.js';
import { PoisonGuard } from '../../src/worker/poison-guard.js';

/**
 * A "death" here is what a kill -9 leaves: the guard object is dropped without end() or clear(),
 * and the next process builds a new guard on the same file.
 */
describe('PoisonGuard', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const store = () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-guard-'));
    dirs.push(dir);
    return () => new InFlightStore(dir, 'group/1', 'worker-a');
  };

  /** One run of the worker on offsets 10..19 of t[0], dying when it reaches `dieAt`. */
  function run(open: () => InFlightStore, dieAt: string | undefined, limit = 3): { refused: string[]; careful: boolean; died: boolean } {
    const guard = new PoisonGuard(open(), { limit });
    const inFlight = guard.begin('t', 0, '10', '19');
    const refused: string[] = [];
    for (let o = 10; o <= 19; o++) {
      const why = inFlight.next(String(o));
      if (why !== undefined) {
        refused.push(String(o));
        continue;
      }
      if (String(o) === dieAt) return { refused, careful: inFlight.careful, died: true };
    }
    inFlight.writing();
    inFlight.end('19');
    return { refused, careful: inFlight.careful, died: false };
  }

  it('dead-letters the record in hand during `limit` deaths in a row, then forgets it', () => {
    const open = store();
    expect(run(open, '14')).toEqual({ refused: [], careful: false, died: true });
    // Second and third death: record by record, so the marker names offset 14.
    expect(run(open, '14')).toEqual({ refused: [], careful: true, died: true });
    expect(run(open, '14')).toEqual({ refused: [], careful: true, died: true });
    expect(new InFlightStore(dirs[0] as string, 'group/1', 'worker-a').load()).toEqual([
      { topic: 't', partition: 0, first: '10', last: '19', record: '14', crashes: 3 },
    ]);
    // Fourth run: 14 is refused, the rest is processed, and the batch ends.
    expect(run(open, '14')).toEqual({ refused: ['14'], careful: true, died: false });
    expect(open().load()).toEqual([]);
    // The record is past: a later run is an ordinary one.
    expect(run(open, undefined)).toEqual({ refused: [], careful: false, died: false });
  });

  it('never blames a record for a death while the batch is written or committed', () => {
    const open = store();
    for (let i = 0; i < 5; i++) {
      const guard = new PoisonGuard(open(), { limit: 2 });
      const inFlight = guard.begin('t', 0, '10', '19');
      for (let o = 10; o <= 19; o++) expect(inFlight.next(String(o))).toBeUndefined();
      inFlight.writing();
      // dies here, in the write
    }
    expect(open().load()).toEqual([{ topic: 't', partition: 0, first: '10', last: '19', crashes: 5 }]);
  });

  it('needs the deaths in a row: a run that gets past the record, or a clean stop, resets the count', () => {
    const open = store();
    run(open, '14');
    run(open, '14');
    expect(run(open, undefined).died).toBe(false);
    expect(run(open, '14').careful).toBe(false);
    new PoisonGuard(open(), { limit: 3 }).clear();
    expect(open().load()).toEqual([]);
  });

  it('keeps the ranges of other partitions while one is worked on, and drops one a rebalance moved past', () => {
    const open = store();
    const first = new PoisonGuard(open(), { limit: 3 });
    first.begin('t', 0, '10', '19');
    first.begin('t', 1, '100', '199');
    // dies with both in hand
    const second = new PoisonGuard(open(), { limit: 3 });
    expect(second.inherited.map((m) => `${m.partition}:${m.first}-${m.last}`).sort()).toEqual(['0:10-19', '1:100-199']);
    // Another worker committed partition 1 past the range meanwhile.
    second.begin('t', 1, '200', '209').end('209');
    const batch = second.begin('t', 0, '10', '12');
    expect(batch.careful).toBe(true);
    batch.next('10');
    batch.end('12');
    // 0's range is only partly passed: it stays; 1's is gone.
    expect(open().load()).toEqual([{ topic: 't', partition: 0, first: '10', last: '19', crashes: 1 }]);
  });

  it('takes an unreadable marker file as no marker', () => {
    const open = store();
    const s = open();
    writeFileSync(s.path, '{"version":1,"mark');
    expect(s.load()).toEqual([]);
    expect(run(open, undefined).died).toBe(false);
    expect(() => readFileSync(s.path)).toThrow();
  });
});
