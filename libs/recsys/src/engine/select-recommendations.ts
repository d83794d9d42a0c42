import type { ScoredBatch } from '@kairos/model';
import { selectTopK, type ScoredIndex } from './top-k';

/**
 * Turns a model's answer for batch row `b` into the k best allowed rows. With `top_*` outputs
 * the model's own ranking is used after dropping anything excluded (a model may ignore the
 * mask); when that leaves fewer than k and full `scores` exist, the ranking is redone over them.
 */
export function selectForRow(
  scored: ScoredBatch,
  b: number,
  k: number,
  itemCount: number,
  isExcluded: (row: number) => boolean,
): ScoredIndex[] {
  const top = scored.top;
  if (top) {
    const picked: ScoredIndex[] = [];
    const taken = new Set<number>();
    for (let position = 0; position < top.k && picked.length < k; position++) {
      const index = Number(top.indices[b * top.k + position] ?? -1n);
      if (index < 0 || index >= itemCount || taken.has(index) || isExcluded(index)) continue;
      taken.add(index);
      picked.push({ index, score: top.scores[b * top.k + position] ?? 0 });
    }
    if (picked.length >= k || !scored.scores) return picked;
  }
  if (!scored.scores) return [];
  return selectTopK(scored.scores, k, isExcluded, b * itemCount, itemCount);
}
