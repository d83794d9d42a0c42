export interface ScoredIndex {
  readonly index: number;
  readonly score: number;
}

/**
 * The k best entries of `scores[offset, offset + length)` (best first) without sorting all of
 * them: a size-k min-heap keeps the current best, so a row of N scores costs O(N log k).
 * Excluded indices and NaN scores are skipped. Ties keep the lower index (deterministic).
 *
 * This is the ranking step of every precomputed list (N = the catalog), so it is written for
 * speed: the heap lives in typed arrays, and once it is full a score that does not beat its
 * worst entry is dropped by one comparison, before the exclusion callback is asked.
 */
export function selectTopK(
  scores: ArrayLike<number>,
  k: number,
  isExcluded?: (index: number) => boolean,
  offset = 0,
  length = scores.length - offset,
): ScoredIndex[] {
  const capacity = Math.max(0, Math.min(k, length));
  const heap = new TopKHeap(capacity);
  for (let index = 0; index < length; index++) {
    const score = scores[offset + index] ?? Number.NaN;
    // Also false for NaN, which never enters.
    if (!(heap.size === capacity ? score > heap.worstScore() : score === score)) continue;
    if (isExcluded?.(index)) continue;
    heap.offer(index, score);
  }
  return heap.bestFirst();
}

/** A min-heap by (score, then higher index is worse) over parallel typed arrays. */
class TopKHeap {
  size = 0;
  private readonly indices: Int32Array;
  private readonly scores: Float64Array;

  constructor(private readonly capacity: number) {
    this.indices = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  worstScore(): number {
    return this.scores[0] ?? Number.NEGATIVE_INFINITY;
  }

  /** Adds the entry, replacing the worst one when full (the caller checked it is better). */
  offer(index: number, score: number): void {
    if (this.size < this.capacity) {
      this.set(this.size, index, score);
      this.size += 1;
      this.siftUp(this.size - 1);
    } else if (this.capacity > 0) {
      this.set(0, index, score);
      this.siftDown(0);
    }
  }

  bestFirst(): ScoredIndex[] {
    const entries: ScoredIndex[] = [];
    for (let i = 0; i < this.size; i++) {
      entries.push({ index: this.indices[i] ?? 0, score: this.scores[i] ?? 0 });
    }
    return entries.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  private worse(a: number, b: number): boolean {
    const scoreA = this.scores[a] ?? 0;
    const scoreB = this.scores[b] ?? 0;
    return (
      scoreA < scoreB || (scoreA === scoreB && (this.indices[a] ?? 0) > (this.indices[b] ?? 0))
    );
  }

  private set(position: number, index: number, score: number): void {
    this.indices[position] = index;
    this.scores[position] = score;
  }

  private swap(a: number, b: number): void {
    const index = this.indices[a] ?? 0;
    const score = this.scores[a] ?? 0;
    this.set(a, this.indices[b] ?? 0, this.scores[b] ?? 0);
    this.set(b, index, score);
  }

  private siftUp(start: number): void {
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.worse(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(start: number): void {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.size && this.worse(left, smallest)) smallest = left;
      if (right < this.size && this.worse(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }
}
