import { Injectable, Logger } from '@nestjs/common';
import { type RecommendationList } from './recommendation';

/** A list just saved by the recommender, with where it came from in the pipeline. */
export interface RecommendationUpdate {
  readonly list: RecommendationList;
  /** Trace of the event the list reflects (its ingest request), when one travelled with it. */
  readonly traceId: string | null;
  /** When the feature service produced the snapshot the list was computed from, epoch ms. */
  readonly featureProcessedAt: number | null;
  /** When this recommender replica received that snapshot's batch, epoch ms. */
  readonly receivedAt: number;
  /** When the list was written to MongoDB (it was computed at `list.computedAt`), epoch ms. */
  readonly savedAt: number;
}

export type RecommendationListener = (update: RecommendationUpdate) => void;

/**
 * In-process fan-out of saved lists to whoever watches a user (the demo page's live stream).
 * The recommender calls `notify` after every save; with nobody watching it costs one map lookup
 * per user, so the hot path does not pay for a feature that is off. A listener that throws is
 * logged and skipped: a broken watcher never fails the batch (the lists are already stored).
 */
@Injectable()
export class RecommendationNotifier {
  private readonly logger = new Logger('recommendation-notifier');
  private readonly listeners = new Map<string, Set<RecommendationListener>>();

  /** Starts calling `listener` with every saved list of `userId`; returns the way to stop. */
  listen(userId: string, listener: RecommendationListener): () => void {
    let forUser = this.listeners.get(userId);
    if (forUser === undefined) {
      forUser = new Set();
      this.listeners.set(userId, forUser);
    }
    forUser.add(listener);
    return () => {
      const current = this.listeners.get(userId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(userId);
    };
  }

  isWatched(userId: string): boolean {
    return this.listeners.has(userId);
  }

  notify(update: RecommendationUpdate): void {
    const forUser = this.listeners.get(update.list.userId);
    if (forUser === undefined) return;
    // A copy: a listener may stop listening while being called.
    for (const listener of [...forUser]) {
      try {
        listener(update);
      } catch (error) {
        this.logger.warn(`a listener of ${update.list.userId} failed: ${String(error)}`);
      }
    }
  }
}
