/**
 * Integer counts per key kept in descending order under +1/-1 updates in O(1): an item whose
 * count changes by one only swaps with the edge of its equal-count block. Lets popularity
 * baselines answer "top k not excluded" by scanning from the front instead of sorting N items.
 */
export class RankedCounter {
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly positionOf = new Map<string, number>();
  /** First and last position of the block holding each count currently present. */
  private readonly blockStart = new Map<number, number>();
  private readonly blockEnd = new Map<number, number>();

  get size(): number {
    return this.keys.length;
  }

  countOf(key: string): number {
    const position = this.positionOf.get(key);
    return position === undefined ? 0 : (this.counts[position] ?? 0);
  }

  increment(key: string): void {
    let position = this.positionOf.get(key);
    if (position === undefined) {
      // A new key joins the zero block, which is always the tail.
      position = this.keys.length;
      this.keys.push(key);
      this.counts.push(0);
      this.positionOf.set(key, position);
      if (!this.blockStart.has(0)) this.blockStart.set(0, position);
      this.blockEnd.set(0, position);
    }
    const count = this.counts[position] ?? 0;
    const first = this.blockStart.get(count) ?? position;
    this.swap(position, first);
    this.shrinkBlock(count, first, 'front');
    // Block count+1, when present, ends right before `first`.
    if (!this.blockStart.has(count + 1)) this.blockStart.set(count + 1, first);
    this.blockEnd.set(count + 1, first);
    this.counts[first] = count + 1;
  }

  decrement(key: string): void {
    const position = this.positionOf.get(key);
    if (position === undefined) return;
    const count = this.counts[position] ?? 0;
    if (count <= 0) return;
    const last = this.blockEnd.get(count) ?? position;
    this.swap(position, last);
    this.shrinkBlock(count, last, 'back');
    // Block count-1, when present, starts right after `last`.
    if (!this.blockEnd.has(count - 1)) this.blockEnd.set(count - 1, last);
    this.blockStart.set(count - 1, last);
    this.counts[last] = count - 1;
  }

  private shrinkBlock(count: number, leaving: number, side: 'front' | 'back'): void {
    if (this.blockStart.get(count) === this.blockEnd.get(count)) {
      this.blockStart.delete(count);
      this.blockEnd.delete(count);
    } else if (side === 'front') {
      this.blockStart.set(count, leaving + 1);
    } else {
      this.blockEnd.set(count, leaving - 1);
    }
  }

  /** Keys with a positive count, best first, stopping after `k` accepted ones. */
  top(k: number, accept: (key: string) => boolean): { key: string; count: number }[] {
    const picked: { key: string; count: number }[] = [];
    for (let position = 0; position < this.keys.length && picked.length < k; position++) {
      const count = this.counts[position] ?? 0;
      if (count <= 0) break;
      const key = this.keys[position] as string;
      if (accept(key)) picked.push({ key, count });
    }
    return picked;
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const keyA = this.keys[a] as string;
    const keyB = this.keys[b] as string;
    this.keys[a] = keyB;
    this.keys[b] = keyA;
    [this.counts[a], this.counts[b]] = [this.counts[b] ?? 0, this.counts[a] ?? 0];
    this.positionOf.set(keyB, a);
    this.positionOf.set(keyA, b);
  }
}
