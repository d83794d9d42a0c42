import { type ItemMessage } from '@kairos/contracts';
import { type RecommendationUpdate } from '../recommendations/recommendation-notifier.service';

/** Items the page shows per list: a screenful, not the 100 the recommender precomputes. */
export const DEMO_LIST_LENGTH = 10;

export interface DemoListItem {
  readonly itemId: string;
  readonly title: string;
  readonly category: string | null;
  readonly score: number;
}

/**
 * What the page receives for each recomputed list. Times are epoch ms on the servers' clocks;
 * the page adds its own two (ingest answered, list shown) to draw the stage timeline.
 */
export interface DemoUpdateView {
  readonly userId: string;
  readonly items: readonly DemoListItem[];
  readonly model: { readonly name: string; readonly version: string };
  readonly asOfEventId: string | null;
  readonly traceId: string | null;
  /** Event time of the reflected event (the click) to the list being computed; null if unknown. */
  readonly freshnessMs: number | null;
  readonly stages: {
    readonly eventTime: number | null;
    readonly featureProcessedAt: number | null;
    readonly recommenderReceivedAt: number;
    readonly computedAt: number;
    readonly savedAt: number;
  };
}

export function toDemoUpdateView(
  update: RecommendationUpdate,
  itemOf: (itemId: string) => ItemMessage | undefined,
): DemoUpdateView {
  const { list } = update;
  return {
    userId: list.userId,
    items: list.items.slice(0, DEMO_LIST_LENGTH).map(({ itemId, score }) => {
      const item = itemOf(itemId);
      return {
        itemId,
        title: item?.title ?? itemId,
        category: item?.categories[0] ?? null,
        score,
      };
    }),
    model: { name: list.model.name, version: list.model.version },
    asOfEventId: list.asOfEventId,
    traceId: update.traceId,
    freshnessMs:
      list.asOfEventTime === null ? null : Math.max(0, list.computedAt - list.asOfEventTime),
    stages: {
      eventTime: list.asOfEventTime,
      featureProcessedAt: update.featureProcessedAt,
      recommenderReceivedAt: update.receivedAt,
      computedAt: list.computedAt,
      savedAt: update.savedAt,
    },
  };
}
