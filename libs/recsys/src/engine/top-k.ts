export interface ScoredIndex {
  readonly index: number;
  readonly score: number;
}

/**
 * The k best entries of `scores[offset, offset + length)` (best first) without sorting all of
 * them: a size-k min-heap keeps the current best, so a row of N scores costs O(N log k).
 * Excluded indices and NaN scores are skipped. Ties keep the lower index (deterministic).
 */
export function selectTopK(
  scores: ArrayLike<number>,
  k: number,
  isExcluded?: (index: number) => boolean,
  offset = 0,
  length = scores.length - offset,
): ScoredIndex[] {
  if (k <= 0) return [];
  const heapIndex: number[] = [];
  const heapScore: number[] = [];
  const worse = (a: number, b: number): boolean =>
    (heapScore[a] ?? 0) < (heapScore[b] ?? 0) ||
    ((heapScore[a] ?? 0) === (heapScore[b] ?? 0) && (heapIndex[a] ?? 0) > (heapIndex[b] ?? 0));
  const swap = (a: number, b: number): void => {
    [heapIndex[a], heapIndex[b]] = [heapIndex[b] ?? 0, heapIndex[a] ?? 0];
    [heapScore[a], heapScore[b]] = [heapScore[b] ?? 0, heapScore[a] ?? 0];
  };
  const siftDown = (start: number): void => {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heapIndex.length && worse(left, smallest)) smallest = left;
      if (right < heapIndex.length && worse(right, smallest)) smallest = right;
      if (smallest === parent) return;
      swap(parent, smallest);
      parent = smallest;
    }
  };
  for (let index = 0; index < length; index++) {
    const score = scores[offset + index] ?? Number.NaN;
    if (Number.isNaN(score) || isExcluded?.(index)) continue;
    if (heapIndex.length < k) {
      heapIndex.push(index);
      heapScore.push(score);
      let child = heapIndex.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
    } else if (score > (heapScore[0] ?? 0)) {
      heapIndex[0] = index;
      heapScore[0] = score;
      siftDown(0);
    }
  }
  return heapIndex
    .map((index, position) => ({ index, score: heapScore[position] ?? 0 }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}
