import type { Interaction, RecommendedItem } from '../domain/interaction';
import { BaselineRecommender } from './baseline-recommender';
import { RankedCounter } from './ranked-counter';

/** All-time interaction counts: the classic non-personalised baseline. */
export class MostPopularRecommender extends BaselineRecommender {
  readonly name = 'most-popular';
  private readonly counts = new RankedCounter();

  protected learn(event: Interaction): void {
    this.counts.increment(event.itemId);
  }

  protected rank(
    _userId: string,
    _lastItemId: string | undefined,
    k: number,
    accept: (itemId: string) => boolean,
  ): RecommendedItem[] {
    return this.counts.top(k, accept).map(({ key, count }) => ({ itemId: key, score: count }));
  }
}

/** Counts over a sliding event-time window: popularity that follows trends. */
export class RecentPopularRecommender extends BaselineRecommender {
  readonly name = 'recent-popular';
  private readonly counts = new RankedCounter();
  /** Events inside the window, oldest first, as a queue with a moving head. */
  private readonly windowItems: string[] = [];
  private readonly windowTimes: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {
    super();
    if (!(windowMs > 0)) throw new Error(`RecentPopular windowMs must be > 0, got ${windowMs}`);
  }

  protected learn(event: Interaction): void {
    this.counts.increment(event.itemId);
    this.windowItems.push(event.itemId);
    this.windowTimes.push(event.timestamp);
    while (this.head < this.windowTimes.length) {
      if ((this.windowTimes[this.head] ?? 0) > event.timestamp - this.windowMs) break;
      this.counts.decrement(this.windowItems[this.head] as string);
      this.head++;
    }
    // Compact now and then so the queue's memory stays proportional to the window.
    if (this.head > 65_536 && this.head * 2 > this.windowItems.length) {
      this.windowItems.splice(0, this.head);
      this.windowTimes.splice(0, this.head);
      this.head = 0;
    }
  }

  protected rank(
    _userId: string,
    _lastItemId: string | undefined,
    k: number,
    accept: (itemId: string) => boolean,
  ): RecommendedItem[] {
    return this.counts.top(k, accept).map(({ key, count }) => ({ itemId: key, score: count }));
  }
}
