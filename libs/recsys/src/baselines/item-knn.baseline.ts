import type { Interaction, RecommendedItem } from '../domain/interaction';
import { BaselineRecommender } from './baseline-recommender';
import { RankedCounter } from './ranked-counter';

/**
 * Item-to-item neighbours from consecutive interactions (a → b within one user's stream, counted
 * both ways), scored by cosine: co(a, b) / sqrt(n(a) · n(b)). Recommends the neighbours of the
 * user's latest item; when it has fewer than k, the rest is filled by all-time popularity, the
 * usual way this baseline is run (so it is never weaker than MostPopular on cold items).
 */
export class ItemKnnRecommender extends BaselineRecommender {
  readonly name = 'item-knn';
  private readonly coCounts = new Map<string, Map<string, number>>();
  private readonly popularity = new RankedCounter();

  protected learn(event: Interaction, previousItemId: string | undefined): void {
    this.popularity.increment(event.itemId);
    if (previousItemId === undefined || previousItemId === event.itemId) return;
    this.addPair(previousItemId, event.itemId);
    this.addPair(event.itemId, previousItemId);
  }

  protected rank(
    _userId: string,
    lastItemId: string | undefined,
    k: number,
    accept: (itemId: string) => boolean,
  ): RecommendedItem[] {
    const picked: RecommendedItem[] = [];
    const neighbours = lastItemId === undefined ? undefined : this.coCounts.get(lastItemId);
    if (neighbours && lastItemId !== undefined) {
      const lastCount = this.popularity.countOf(lastItemId);
      const scored: RecommendedItem[] = [];
      neighbours.forEach((count, itemId) => {
        if (!accept(itemId)) return;
        const norm = Math.sqrt(Math.max(1, lastCount * this.popularity.countOf(itemId)));
        scored.push({ itemId, score: count / norm });
      });
      scored.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
      picked.push(...scored.slice(0, k));
    }
    if (picked.length < k) {
      const taken = new Set(picked.map((item) => item.itemId));
      // Popularity fill scores stay below every neighbour's (cosine is > 0).
      for (const { key, count } of this.popularity.top(k, (id) => !taken.has(id) && accept(id))) {
        if (picked.length >= k) break;
        picked.push({ itemId: key, score: -1 / (1 + count) });
      }
    }
    return picked;
  }

  private addPair(from: string, to: string): void {
    let neighbours = this.coCounts.get(from);
    if (!neighbours) this.coCounts.set(from, (neighbours = new Map<string, number>()));
    neighbours.set(to, (neighbours.get(to) ?? 0) + 1);
  }
}
