/**
 * A set of small integer ids, cleared in O(1) between records: membership is a generation stamp,
 * so the hot path allocates nothing. Capacity is the id range; each id is held at most once.
 */
export class StampSet {
  /** The ids added since the last `clear`, in insertion order; valid up to `size`. */
  readonly items: Int32Array;
  size = 0;
  private readonly stamps: Uint32Array;
  private generation = 1;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.stamps = new Uint32Array(capacity);
  }

  clear(): void {
    this.size = 0;
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  has(id: number): boolean {
    return this.stamps[id] === this.generation;
  }

  add(id: number): void {
    if (this.stamps[id] === this.generation) return;
    this.stamps[id] = this.generation;
    this.items[this.size++] = id;
  }

  /** The ids added so far, sorted ascending (a view, valid until the next change). */
  sorted(): Int32Array {
    return this.items.subarray(0, this.size).sort();
  }
}
