import type { Interaction, Recommender } from '../domain/interaction';
import { MovingHitRate, type SeriesPoint } from './moving-hit-rate';
import { RankingMetrics, rankOf } from './ranking-metrics';

export interface PrequentialOptions {
  /** Distinct users asked together; their events are learned only after all were asked. */
  readonly microBatchSize: number;
  /** Leave out items the user already saw, as the live recommender does. */
  readonly excludeSeen: boolean;
  /**
   * The first `warmupEvents` events (after dropping repeats) are learned by every recommender but
   * not evaluated: the part of the log a model was trained on, replayed so baselines know it too.
   */
  readonly warmupEvents: number;
  /** Drop an event that repeats the same user's previous item (the SR-GNN protocol). */
  readonly dropConsecutiveRepeats: boolean;
  /** Evaluated steps in the moving-average HR@10 window. */
  readonly movingAverageWindow: number;
  /** About how many points each HR@10 curve gets. */
  readonly plotPoints: number;
  readonly onProgress?: (processedEvents: number, totalEvents: number) => void;
}

export interface RecommenderResult {
  readonly name: string;
  readonly metrics: Record<string, number>;
  /** Distinct items ever recommended in the top 10 / top 20, over the catalog size. */
  readonly coverage: { readonly '@10': number; readonly '@20': number };
  /** Wall time of the recommend calls per evaluated step, and of observe per event. */
  readonly msPerStep: { readonly recommend: number; readonly observe: number };
  readonly hitRateCurve: SeriesPoint[];
}

export interface PrequentialReport {
  readonly events: number;
  readonly droppedConsecutiveRepeats: number;
  readonly warmupEvents: number;
  readonly evaluatedSteps: number;
  /** Evaluated targets the user had already seen (unreachable when excludeSeen is on). */
  readonly revisitTargets: number;
  readonly catalogSize: number;
  readonly users: number;
  readonly options: Omit<PrequentialOptions, 'onProgress'>;
  readonly recommenders: RecommenderResult[];
}

const TOP_K = 20;

interface Tracker {
  readonly recommender: Recommender;
  readonly metrics: RankingMetrics;
  readonly covered10: Set<string>;
  readonly covered20: Set<string>;
  readonly curve: MovingHitRate;
  recommendMs: number;
  observeMs: number;
}

/**
 * Prequential (test-then-learn) replay over a time-ordered log: for each event of a user with an
 * earlier event, every recommender is first asked for the user's top 20, then learns the event.
 * Events are processed in micro-batches of distinct users so the engine answers many users per
 * inference call; inside a batch nobody has learned any of the batch's events yet when asked.
 */
export async function runPrequential(
  log: readonly Interaction[],
  recommenders: readonly Recommender[],
  options: PrequentialOptions,
): Promise<PrequentialReport> {
  const { events, dropped } = options.dropConsecutiveRepeats
    ? withoutConsecutiveRepeats(log)
    : { events: log, dropped: 0 };
  const catalog = new Set(events.map((event) => event.itemId));
  const warmup = Math.min(options.warmupEvents, events.length);
  // Evaluated steps are at most the events after warm-up; sample the curve over those.
  const sampleEvery = Math.max(
    1,
    Math.floor((events.length - warmup) / Math.max(1, options.plotPoints)),
  );
  const trackers: Tracker[] = recommenders.map((recommender) => ({
    recommender,
    metrics: new RankingMetrics(),
    covered10: new Set(),
    covered20: new Set(),
    curve: new MovingHitRate(options.movingAverageWindow, sampleEvery),
    recommendMs: 0,
    observeMs: 0,
  }));
  const knownUsers = new Set<string>();
  const seenByUser = new Map<string, Set<string>>();
  let revisitTargets = 0;
  let evaluatedSteps = 0;
  const noteSeen = (event: Interaction): void => {
    knownUsers.add(event.userId);
    let seen = seenByUser.get(event.userId);
    if (!seen) seenByUser.set(event.userId, (seen = new Set()));
    seen.add(event.itemId);
  };

  const warmupChunk = 10_000;
  for (let start = 0; start < warmup; start += warmupChunk) {
    const chunk = events.slice(start, Math.min(warmup, start + warmupChunk));
    for (const tracker of trackers) tracker.recommender.observe(chunk);
    for (const event of chunk) noteSeen(event);
    options.onProgress?.(start + chunk.length, events.length);
  }

  for (let start = warmup; start < events.length;) {
    const batch = nextMicroBatch(events, start, options.microBatchSize);
    start += batch.length;
    const targets = batch.filter(
      (event) => knownUsers.has(event.userId) && event.type !== 'dislike',
    );
    for (const target of targets) {
      if (seenByUser.get(target.userId)?.has(target.itemId)) revisitTargets++;
    }
    evaluatedSteps += targets.length;
    const requests = targets.map((event) => ({ userId: event.userId }));
    for (const tracker of trackers) {
      const askedAt = performance.now();
      const answers = await tracker.recommender.recommend(requests, {
        k: TOP_K,
        excludeSeen: options.excludeSeen,
      });
      tracker.recommendMs += performance.now() - askedAt;
      targets.forEach((target, index) => record(tracker, answers[index] ?? [], target.itemId));
      const observedAt = performance.now();
      tracker.recommender.observe(batch);
      tracker.observeMs += performance.now() - observedAt;
    }
    for (const event of batch) noteSeen(event);
    options.onProgress?.(start, events.length);
  }

  return {
    events: events.length,
    droppedConsecutiveRepeats: dropped,
    warmupEvents: warmup,
    evaluatedSteps,
    revisitTargets,
    catalogSize: catalog.size,
    users: knownUsers.size,
    options: {
      microBatchSize: options.microBatchSize,
      warmupEvents: options.warmupEvents,
      excludeSeen: options.excludeSeen,
      dropConsecutiveRepeats: options.dropConsecutiveRepeats,
      movingAverageWindow: options.movingAverageWindow,
      plotPoints: options.plotPoints,
    },
    recommenders: trackers.map((tracker) => ({
      name: tracker.recommender.name,
      metrics: tracker.metrics.summary(),
      coverage: {
        '@10': tracker.covered10.size / Math.max(1, catalog.size),
        '@20': tracker.covered20.size / Math.max(1, catalog.size),
      },
      msPerStep: {
        recommend: tracker.recommendMs / Math.max(1, evaluatedSteps),
        observe: tracker.observeMs / Math.max(1, events.length),
      },
      hitRateCurve: tracker.curve.points,
    })),
  };
}

function record(tracker: Tracker, ranked: readonly { itemId: string }[], target: string): void {
  const rank = rankOf(ranked.slice(0, TOP_K), target);
  tracker.metrics.add(rank);
  tracker.curve.add(rank !== undefined && rank <= 10);
  ranked.slice(0, TOP_K).forEach((item, index) => {
    tracker.covered20.add(item.itemId);
    if (index < 10) tracker.covered10.add(item.itemId);
  });
}

/** Consecutive events of distinct users starting at `start`, at most `maxSize` of them. */
function nextMicroBatch(
  events: readonly Interaction[],
  start: number,
  maxSize: number,
): Interaction[] {
  const users = new Set<string>();
  const batch: Interaction[] = [];
  for (let index = start; index < events.length && batch.length < maxSize; index++) {
    const event = events[index] as Interaction;
    if (users.has(event.userId)) break;
    users.add(event.userId);
    batch.push(event);
  }
  return batch;
}

function withoutConsecutiveRepeats(log: readonly Interaction[]): {
  events: Interaction[];
  dropped: number;
} {
  const lastItem = new Map<string, string>();
  const events: Interaction[] = [];
  for (const event of log) {
    if (lastItem.get(event.userId) === event.itemId) continue;
    lastItem.set(event.userId, event.itemId);
    events.push(event);
  }
  return { events, dropped: log.length - events.length };
}
