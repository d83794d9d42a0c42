import { Registry } from 'prom-client';
import { type CatalogService } from '../catalog/catalog.service';
import { type EngineService } from '../engine/engine.service';
import { RecommenderMetrics } from '../recommender.metrics';
import { type CachedRecommendationList } from './cached-list-table';
import {
  type RecommendationAnswer,
  type RecommendationQuery,
  RecommendationQueryService,
} from './recommendation-query.service';
import { type RecommendationStore } from './recommendation.store';

/** A store holding one user's list in memory, rewritten by `write` (which changes its stamp). */
class OneListStore {
  stamp = 1;
  items = ['i1', 'i2', 'i3', 'i4'];

  stored(): Promise<null> {
    return Promise.resolve(null);
  }

  write(items: string[]): void {
    this.items = items;
    this.stamp += 1;
  }

  cachedStamp(userId: string): number | undefined {
    return userId === 'u' ? this.stamp : undefined;
  }

  cached(userId: string): CachedRecommendationList | undefined {
    if (userId !== 'u') return undefined;
    return {
      userId,
      items: this.items.map((itemId, index) => ({ itemId, score: 1 - index / 10 })),
      model: { name: 'm', version: '1' },
      asOfEventId: `e${this.stamp}`,
      asOfEventTime: 1_000,
      asOfVersion: this.stamp,
      computedAt: 2_000,
      complete: true,
    };
  }
}

class Catalog {
  readonly unavailableIds = new Set<string>();
  version = 0;

  unavailable(): ReadonlySet<string> {
    return this.unavailableIds;
  }

  availabilityVersion(): number {
    return this.version;
  }

  inCategory(): boolean {
    return false;
  }

  withdraw(itemId: string): void {
    this.unavailableIds.add(itemId);
    this.version += 1;
  }
}

describe('RecommendationQueryService.recommendBody', () => {
  let store: OneListStore;
  let catalog: Catalog;
  let service: RecommendationQueryService;
  let serialized: RecommendationAnswer[];
  let metrics: RecommenderMetrics;
  let engines: { current: () => unknown };
  const fakeEngine = {
    recommend: async () => Promise.resolve([[{ itemId: 'trending', score: 1 }]]),
    knowsUser: () => false,
  };
  const served = async (source: string): Promise<number> =>
    (await metrics.served.get()).values.find((value) => value.labels.source === source)?.value ?? 0;
  const serialize = (answer: RecommendationAnswer): Buffer => {
    serialized.push(answer);
    return Buffer.from(JSON.stringify(answer));
  };
  const query = (overrides: Partial<RecommendationQuery> = {}): RecommendationQuery => ({
    userId: 'u',
    k: 2,
    exclude: [],
    ...overrides,
  });
  const itemIds = (body: Buffer): string[] =>
    (JSON.parse(body.toString()) as RecommendationAnswer).items.map((item) => item.itemId);

  beforeEach(() => {
    store = new OneListStore();
    catalog = new Catalog();
    serialized = [];
    metrics = new RecommenderMetrics(new Registry());
    engines = { current: () => null };
    service = new RecommendationQueryService(
      store as unknown as RecommendationStore,
      engines as unknown as EngineService,
      catalog as unknown as CatalogService,
      metrics,
      () => 3_000,
    );
  });

  it('answers a repeated unfiltered GET with the bytes made for the first', async () => {
    const first = await service.recommendBody(query(), serialize);
    const second = await service.recommendBody(query(), serialize);
    expect(second.equals(first)).toBe(true);
    expect(serialized).toHaveLength(1);
    expect(itemIds(second)).toEqual(['i1', 'i2']);
  });

  it('makes the answer again once the list is rewritten, an item withdrawn or k differs', async () => {
    await service.recommendBody(query(), serialize);
    store.write(['i5', 'i6', 'i7']);
    expect(itemIds(await service.recommendBody(query(), serialize))).toEqual(['i5', 'i6']);
    catalog.withdraw('i5');
    expect(itemIds(await service.recommendBody(query(), serialize))).toEqual(['i6', 'i7']);
    expect(itemIds(await service.recommendBody(query({ k: 1 }), serialize))).toEqual(['i6']);
    expect(serialized).toHaveLength(4);
  });

  it('counts a hit as a precomputed answer served', async () => {
    await service.recommendBody(query(), serialize);
    await service.recommendBody(query(), serialize);
    expect(await served('precomputed')).toBe(2);
  });

  it('keeps no answer made by the model (realtime, fallback), nor a failed one', async () => {
    store.cachedStamp = () => 1;
    store.cached = () => undefined;
    // No list anywhere and no model: the service refuses (503) and nothing is kept or counted.
    await expect(service.recommendBody(query(), serialize)).rejects.toThrow(/no model/);
    engines.current = () => ({ engine: fakeEngine, model: { name: 'm', version: '1' } });
    await service.recommendBody(query(), serialize);
    await service.recommendBody(query(), serialize);
    expect(serialized.map((answer) => answer.source)).toEqual(['fallback', 'fallback']);
    expect(await served('precomputed')).toBe(0);
  });

  it('never keeps answers of filtered queries', async () => {
    await service.recommendBody(query({ exclude: ['i1'] }), serialize);
    await service.recommendBody(query({ exclude: ['i1'] }), serialize);
    expect(serialized).toHaveLength(2);
  });

  it('does not keep bytes made while the list changed under them', async () => {
    await service.recommendBody(query(), (answer) => {
      store.write(['i9', 'i8']);
      return serialize(answer);
    });
    expect(itemIds(await service.recommendBody(query(), serialize))).toEqual(['i9', 'i8']);
    expect(serialized).toHaveLength(2);
  });
});
