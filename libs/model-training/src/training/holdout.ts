import { SeededRandom } from '../random/seeded-random';

/** A held-out next-item prediction: the items before `target` and the item that came next. */
export interface HeldOutTransition {
  context: Int32Array;
  target: number;
}

export interface HoldoutSplit {
  /** Sequences with their last item removed (the trainer never sees held-out targets). */
  trainingSequences: Int32Array[];
  /** Used to choose the prior weight. */
  validation: HeldOutTransition[];
  /** Reported in manifest.metrics; never used for any choice. */
  test: HeldOutTransition[];
}

/**
 * Leave-last-out: the last transition of every sequence of two or more items is held out, and
 * those transitions are split at random (seeded) into validation and test halves.
 */
export function splitLastTransitions(
  sequences: readonly Int32Array[],
  contextLength: number,
  seed: number,
): HoldoutSplit {
  const random = new SeededRandom(seed);
  const split: HoldoutSplit = { trainingSequences: [], validation: [], test: [] };
  for (const sequence of sequences) {
    if (sequence.length < 2) {
      split.trainingSequences.push(sequence);
      continue;
    }
    const last = sequence.length - 1;
    const transition: HeldOutTransition = {
      context: sequence.slice(Math.max(0, last - contextLength), last),
      target: sequence[last] ?? 0,
    };
    (random.next() < 0.5 ? split.validation : split.test).push(transition);
    split.trainingSequences.push(sequence.subarray(0, last));
  }
  return split;
}
