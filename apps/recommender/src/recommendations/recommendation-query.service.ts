import { Injectable } from '@nestjs/common';
import { type Clock, InjectClock } from '@kairos/config';
import { ErrorCode, KairosError } from '@kairos/http';
import { type ModelRef } from '@kairos/model';
import { CatalogService } from '../catalog/catalog.service';
import { EngineService } from '../engine/engine.service';
import { RecommenderMetrics } from '../recommender.metrics';
import {
  type RecommendationList,
  type RecommendationSource,
  type ScoredItem,
} from './recommendation';
import { AnswerBodyCache, type AnswerBodyKey } from './answer-body-cache';
import { RecommendationStore } from './recommendation.store';

/**
 * Bytes of serialized answers kept (with their bookkeeping), of the users asked most recently:
 * about 10,000 answers of k = 10 (0.6 KB each and about 0.2 KB of bookkeeping), fewer of larger k.
 */
export const ANSWER_BODY_BYTES = 8 * 1_024 * 1_024;

export interface RecommendationQuery {
  readonly userId: string;
  readonly k: number;
  readonly exclude: readonly string[];
  readonly category?: string;
}

export interface RecommendationAnswer {
  readonly userId: string;
  readonly items: readonly ScoredItem[];
  readonly model: ModelRef | null;
  readonly asOfEventId: string | null;
  readonly computedAt: string;
  readonly source: RecommendationSource;
}

/**
 * The read path, cheapest first: the in-memory list (the head of each list; MongoDB holds it
 * whole for a GET the head cannot fill), then MongoDB, then inference on demand for
 * a user the engine knows but has no list for (e.g. just after a rebalance), then the trending
 * fallback for unknown users. Filters (exclude, category, availability) apply to every source;
 * a precomputed list the filters leave too short is recomputed with the filters in the model.
 */
@Injectable()
export class RecommendationQueryService {
  private readonly bodies = new AnswerBodyCache(ANSWER_BODY_BYTES);

  constructor(
    private readonly store: RecommendationStore,
    private readonly engines: EngineService,
    private readonly catalog: CatalogService,
    private readonly metrics: RecommenderMetrics,
    @InjectClock() private readonly clock: Clock,
  ) {}

  private async recommend(query: RecommendationQuery): Promise<RecommendationAnswer> {
    const answer = await this.answer(query);
    this.metrics.served.inc({ source: answer.source });
    return answer;
  }

  /**
   * The answer as the route sends it, JSON bytes made by `serialize` (the route's serializer).
   * An unfiltered GET for a list in memory is answered from the body cache while the list and
   * the catalog's availability are those it was made from. Anything else runs through `inTrace`
   * (the request's trace context: it may read MongoDB or run inference, which make spans).
   */
  async recommendBody(
    query: RecommendationQuery,
    serialize: (answer: RecommendationAnswer) => Buffer,
    inTrace: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ): Promise<Buffer> {
    const key = this.bodyKey(query);
    const cached = key === undefined ? undefined : this.bodies.get(key);
    if (cached !== undefined) {
      this.metrics.served.inc({ source: 'precomputed' });
      return cached;
    }
    const answer = await inTrace(() => this.recommend(query));
    const body = serialize(answer);
    if (key !== undefined && answer.source === 'precomputed') {
      // Kept only if nothing it depends on changed while it was being made.
      const after = this.bodyKey(query);
      if (after?.listStamp === key.listStamp && after.availability === key.availability) {
        this.bodies.set(after, body);
      }
    }
    return body;
  }

  /** What an unfiltered answer of a list in memory depends on; undefined for any other. */
  private bodyKey(query: RecommendationQuery): AnswerBodyKey | undefined {
    if (query.exclude.length > 0 || query.category !== undefined) return undefined;
    const listStamp = this.store.cachedStamp(query.userId);
    if (listStamp === undefined) return undefined;
    return {
      userId: query.userId,
      k: query.k,
      listStamp,
      availability: this.catalog.availabilityVersion(),
    };
  }

  private async answer(query: RecommendationQuery): Promise<RecommendationAnswer> {
    const excluded = new Set(query.exclude);
    const unavailable = this.catalog.unavailable();
    const keep = (item: ScoredItem): boolean =>
      !excluded.has(item.itemId) &&
      !unavailable.has(item.itemId) &&
      (query.category === undefined || this.catalog.inCategory(item.itemId, query.category));

    const cached = this.store.cached(query.userId);
    let list: RecommendationList | null = cached ?? (await this.store.stored(query.userId));
    if (list !== null) {
      let items = firstKept(list.items, keep, query.k);
      // Memory keeps the head of each list; a GET the head cannot fill reads the whole list.
      if (items.length < query.k && cached?.complete === false) {
        list = (await this.store.storedInFull(query.userId)) ?? list;
        items = firstKept(list.items, keep, query.k);
      }
      if (items.length === query.k || list.items.length < query.k) {
        return {
          userId: query.userId,
          items,
          model: list.model,
          asOfEventId: list.asOfEventId,
          computedAt: new Date(list.computedAt).toISOString(),
          source: 'precomputed',
        };
      }
    }

    const serving = this.engines.current();
    if (serving === null) {
      throw new KairosError(ErrorCode.Overloaded, 'no model is active yet; retry shortly', {}, 5);
    }
    const [items = []] = await serving.engine.recommend([{ userId: query.userId }], {
      k: query.k,
      excludeSeen: true,
      unavailable: new Set([...unavailable, ...excluded]),
      ...(query.category !== undefined ? { category: query.category } : {}),
    });
    const personal = serving.engine.knowsUser(query.userId);
    return {
      userId: query.userId,
      items: items.filter(keep),
      model: personal ? serving.model : null,
      asOfEventId: personal ? (list?.asOfEventId ?? null) : null,
      computedAt: new Date(this.clock()).toISOString(),
      source: personal ? 'realtime' : 'fallback',
    };
  }
}

/** The first `k` items `keep` accepts, in order: a long list is not filtered past what is served. */
function firstKept(
  items: readonly ScoredItem[],
  keep: (item: ScoredItem) => boolean,
  k: number,
): ScoredItem[] {
  const kept: ScoredItem[] = [];
  for (const item of items) {
    if (kept.length === k) break;
    if (keep(item)) kept.push(item);
  }
  return kept;
}
