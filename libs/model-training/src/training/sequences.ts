import type { Interaction } from '../readers/interaction';

/** Interactions turned into integer item sequences, the trainer's working form. */
export interface ItemSequences {
  /** Item ids in row order: most interacted first, ties by id, so the order is reproducible. */
  vocabulary: string[];
  /** Per user, time-ordered item rows with consecutive repeats of one item collapsed. */
  sequences: Int32Array[];
  /** Interactions per row (before collapsing repeats), the popularity signal. */
  itemCounts: Float64Array;
  eventCount: number;
  /** Latest event time, epoch ms; the default `created` of a model trained on this data. */
  lastTimestamp: number;
}

/**
 * Groups time-ordered interactions by user. Consecutive repeats are collapsed because "the next
 * item is the one you are looking at" is not a transition worth learning or measuring.
 */
export function buildItemSequences(interactions: readonly Interaction[]): ItemSequences {
  const countsById = new Map<string, number>();
  let lastTimestamp = 0;
  for (const interaction of interactions) {
    countsById.set(interaction.itemId, (countsById.get(interaction.itemId) ?? 0) + 1);
    if (interaction.timestamp > lastTimestamp) lastTimestamp = interaction.timestamp;
  }
  const vocabulary = [...countsById.keys()].sort(
    (a, b) => (countsById.get(b) ?? 0) - (countsById.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const rowById = new Map(vocabulary.map((id, row) => [id, row]));
  const itemCounts = Float64Array.from(vocabulary, (id) => countsById.get(id) ?? 0);

  // Users keep the order of their first interaction, so sequence order is reproducible too.
  const rowsByUser = new Map<string, number[]>();
  for (const interaction of interactions) {
    const row = rowById.get(interaction.itemId) ?? -1;
    let rows = rowsByUser.get(interaction.userId);
    if (rows === undefined) rowsByUser.set(interaction.userId, (rows = []));
    if (rows[rows.length - 1] !== row) rows.push(row);
  }
  const sequences = [...rowsByUser.values()].map((rows) => Int32Array.from(rows));
  return { vocabulary, sequences, itemCounts, eventCount: interactions.length, lastTimestamp };
}

/**
 * The popularity prior the graph adds to scores: log(1 + count), standardised to mean 0 and
 * standard deviation 1 so the learned prior weight does not depend on the data set's size.
 */
export function computeItemPrior(itemCounts: Float64Array): Float32Array {
  const logs = Float64Array.from(itemCounts, (count) => Math.log1p(count));
  const mean = logs.reduce((sum, value) => sum + value, 0) / Math.max(1, logs.length);
  const variance =
    logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, logs.length);
  const deviation = Math.sqrt(variance) || 1;
  return Float32Array.from(logs, (value) => (value - mean) / deviation);
}
