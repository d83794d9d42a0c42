import type { EventTypeWeights } from '../domain/interaction';
import type { RecentHistory } from '../users/user-state';
import type { ItemTable } from '../table/item-table';
import type { LinearScoring } from './linear-scoring';

/** Matches the graph: an all-padding history pools to zero instead of dividing by zero. */
const POOLING_EPSILON = 1e-6;

export interface HistoryWeighting {
  /** Weight of the newest item is 1, the one before `recencyDecay`, and so on. */
  readonly recencyDecay: number;
  readonly eventTypeWeights: EventTypeWeights;
}

export interface ResolvedHistory {
  /** Table rows, oldest first; only items the table knows. */
  readonly rows: number[];
  /** recency decay × event-type weight, aligned with `rows`. */
  readonly weights: number[];
}

/** The model's view of a history: the last `length` positive events as rows and weights. */
export function resolveHistory(
  history: RecentHistory,
  table: ItemTable,
  weighting: HistoryWeighting,
  length: number,
): ResolvedHistory {
  const rows: number[] = [];
  const weights: number[] = [];
  const start = Math.max(0, history.length - length);
  for (let position = start; position < history.length; position++) {
    const row = table.rowOf(history.itemIdAt(position));
    const typeWeight = weighting.eventTypeWeights[history.typeAt(position)];
    if (row === undefined || typeWeight <= 0) continue;
    const age = history.length - 1 - position;
    rows.push(row);
    weights.push(weighting.recencyDecay ** age * typeWeight);
  }
  return { rows, weights };
}

/** pooled = Σ w_l E[h_l] / (Σ w_l + ε), then projected = pooled · P: the graph's query vector. */
export function projectHistory(
  resolved: ResolvedHistory,
  table: ItemTable,
  scoring: LinearScoring,
  pooledOut: Float64Array,
  projectedOut: Float64Array,
): number {
  const dimension = table.dimension;
  pooledOut.fill(0);
  let weightSum = 0;
  resolved.rows.forEach((row, index) => {
    const weight = resolved.weights[index] ?? 0;
    const vector = table.row(row);
    weightSum += weight;
    for (let d = 0; d < dimension; d++) pooledOut[d]! += weight * (vector[d] ?? 0);
  });
  const scale = 1 / (weightSum + POOLING_EPSILON);
  for (let d = 0; d < dimension; d++) pooledOut[d]! *= scale;
  projectedOut.fill(0);
  const projection = scoring.projection;
  for (let i = 0; i < dimension; i++) {
    const value = pooledOut[i] ?? 0;
    if (value === 0) continue;
    const offset = i * dimension;
    for (let j = 0; j < dimension; j++) projectedOut[j]! += value * (projection[offset + j] ?? 0);
  }
  return weightSum;
}
