import { endianness } from 'node:os';
import type { ScoredBatch } from '@kairos/model';
import { RowFlags } from './row-flags';
import { selectTopK, type ScoredIndex } from './top-k';

/** Rows already taken in the answer being selected (selectForRow is synchronous). */
const taken = new RowFlags();
const TAKEN = 1;

/**
 * The int64 top-k indices as pairs of 32-bit words, one view per output tensor: reading a row
 * index as its low word (the high word must be 0) avoids a BigInt-to-Number conversion per
 * candidate, a visible share of each precomputed list. Little-endian hosts only (all that Node
 * supports in practice); elsewhere the indices are converted one by one.
 */
const wordViews = new WeakMap<BigInt64Array, Int32Array>();
const LITTLE_ENDIAN = endianness() === 'LE';

/** `indices` as 32-bit words (one view per tensor, shared by its batch rows); null on big-endian. */
function wordsOf(indices: BigInt64Array): Int32Array | null {
  if (!LITTLE_ENDIAN) return null;
  let words = wordViews.get(indices);
  if (words === undefined) {
    words = new Int32Array(indices.buffer, indices.byteOffset, indices.length * 2);
    wordViews.set(indices, words);
  }
  return words;
}

function rowAt(indices: BigInt64Array, words: Int32Array | null, at: number): number {
  if (words === null) return Number(indices[at] ?? -1n);
  // A high word other than 0 means a negative index or one beyond 2^32: never a table row.
  return words[at * 2 + 1] === 0 ? (words[at * 2] ?? -1) : -1;
}

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
    taken.reset(itemCount);
    const words = wordsOf(top.indices);
    for (let position = 0; position < top.k && picked.length < k; position++) {
      const index = rowAt(top.indices, words, b * top.k + position);
      if (index < 0 || index >= itemCount || taken.get(index) !== 0 || isExcluded(index)) continue;
      taken.add(index, TAKEN);
      picked.push({ index, score: top.scores[b * top.k + position] ?? 0 });
    }
    if (picked.length >= k || !scored.scores) return picked;
  }
  if (!scored.scores) return [];
  return selectTopK(scored.scores, k, isExcluded, b * itemCount, itemCount);
}
