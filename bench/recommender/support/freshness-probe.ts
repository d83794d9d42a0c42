import { getRecommendations } from './cached-users';
import { FreshnessTracker } from './freshness-tracker';

/**
 * Watches GET answers for users with events not yet reflected: `concurrency` pollers take those
 * users round robin, each user at most once per `minIntervalMs`, until nothing is pending after
 * `stop()` or the deadline passes. Bounded concurrency keeps the probe from loading the
 * recommender more than the pipeline it measures.
 */
export class FreshnessProbe {
  readonly tracker = new FreshnessTracker();
  /** GETs sent so far: the probe's own load on the recommender (and on the machine). */
  gets = 0;
  private sendingDone = false;
  private readonly lastPolled = new Map<string, number>();

  constructor(
    private readonly baseUrl: string,
    private readonly options: { concurrency: number; minIntervalMs: number; deadlineMs: number },
  ) {}

  /** Marks the end of sending: the pollers return once every sent event is reflected. */
  stop(): void {
    this.sendingDone = true;
  }

  async run(): Promise<void> {
    const deadline = performance.now() + this.options.deadlineMs;
    let queue: string[] = [];
    const nextUser = (): string | undefined => {
      if (queue.length === 0) queue = this.tracker.usersWithPending();
      const now = performance.now();
      for (let i = 0; i < queue.length; i++) {
        const userId = queue.shift();
        if (userId === undefined) break;
        if (now - (this.lastPolled.get(userId) ?? 0) >= this.options.minIntervalMs) return userId;
        queue.push(userId);
      }
      return undefined;
    };
    const poller = async (): Promise<void> => {
      while (performance.now() < deadline) {
        if (this.sendingDone && this.tracker.pending === 0) return;
        const userId = nextUser();
        if (userId === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        this.lastPolled.set(userId, performance.now());
        this.gets += 1;
        const answer = await getRecommendations(this.baseUrl, userId);
        this.tracker.observed(
          userId,
          answer.asOfEventId,
          Date.parse(answer.computedAt),
          Date.now(),
        );
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, poller));
  }
}
