/** Cut-offs reported for every ranking metric. */
export const METRIC_CUTOFFS = [10, 20] as const;
export type MetricCutoff = (typeof METRIC_CUTOFFS)[number];

export interface RankingTotals {
  hits: number;
  ndcg: number;
  reciprocalRank: number;
}

/**
 * Accumulates HR@K, NDCG@K and MRR@K for one recommender over single-target steps: the target is
 * the item the user actually interacted with next, so NDCG@K = 1/log2(rank + 1) and MRR@K = 1/rank
 * when it is in the top K, else 0.
 */
export class RankingMetrics {
  private steps = 0;
  private readonly totals = new Map<MetricCutoff, RankingTotals>(
    METRIC_CUTOFFS.map((cutoff) => [cutoff, { hits: 0, ndcg: 0, reciprocalRank: 0 }]),
  );

  /** `rank` is 1-based, or undefined when the target was not recommended at all. */
  add(rank: number | undefined): void {
    this.steps++;
    if (rank === undefined) return;
    for (const cutoff of METRIC_CUTOFFS) {
      if (rank > cutoff) continue;
      const totals = this.totals.get(cutoff) as RankingTotals;
      totals.hits += 1;
      totals.ndcg += 1 / Math.log2(rank + 1);
      totals.reciprocalRank += 1 / rank;
    }
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Means over all steps: { 'HR@10': ..., 'NDCG@10': ..., 'MRR@10': ..., ... }. */
  summary(): Record<string, number> {
    const summary: Record<string, number> = {};
    const steps = Math.max(1, this.steps);
    for (const cutoff of METRIC_CUTOFFS) {
      const totals = this.totals.get(cutoff) as RankingTotals;
      summary[`HR@${cutoff}`] = totals.hits / steps;
      summary[`NDCG@${cutoff}`] = totals.ndcg / steps;
      summary[`MRR@${cutoff}`] = totals.reciprocalRank / steps;
    }
    return summary;
  }
}

/** 1-based position of `target` in `ranked`, undefined when absent. */
export function rankOf(ranked: readonly { itemId: string }[], target: string): number | undefined {
  const index = ranked.findIndex((item) => item.itemId === target);
  return index < 0 ? undefined : index + 1;
}
