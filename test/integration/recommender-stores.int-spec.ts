import { EmbeddingStore } from '../../apps/recommender/src/embeddings/embedding.store';
import { type RecommendationList } from '../../apps/recommender/src/recommendations/recommendation';
import { RecommendationRepository } from '../../apps/recommender/src/recommendations/recommendation.repository';
import { RecommenderStorageModule } from '../../apps/recommender/src/recommender-storage.module';
import { bootStorage, type StorageUnderTest } from '../support/storage-modes';
import { describeEachMode } from '../support/system';

const MODEL = { name: 'kairos-default', version: '1' };
const OTHER = { name: 'kairos-default', version: '2' };

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** One spec body for the MongoDB and memory adapters of the recommender's repository ports. */
describeEachMode(
  'recommender repositories: embeddings per model space, recommendation lists',
  (mode) => {
    let stores: StorageUnderTest;

    beforeAll(async () => {
      stores = await bootStorage(mode, (config) => RecommenderStorageModule.forRoot(config), {});
    });

    afterAll(async () => {
      await stores?.close();
    });

    it('keeps the latest row per item, per model space, as a copy of what was saved', async () => {
      const embeddings = stores.get(EmbeddingStore);
      const vector = Float32Array.from([0.5, -1.25, 3]);
      await embeddings.saveRows([{ itemId: 'item.1', version: 1, vector }], MODEL, 1_000);
      await embeddings.saveRows(
        [
          { itemId: 'item.1', version: 2, vector: Float32Array.from([1, 2, 3]) },
          { itemId: 'item.2', version: 1, vector: Float32Array.from([4, 5, 6]) },
        ],
        MODEL,
        2_000,
      );
      await embeddings.saveRows([{ itemId: 'item.3', version: 7, vector }], OTHER, 3_000);
      vector[0] = 42;
      const rows = (await collect(embeddings.rowsOf(MODEL))).sort((a, b) =>
        a.itemId.localeCompare(b.itemId),
      );
      expect(rows.map((row) => [row.itemId, row.version, Array.from(row.vector)])).toEqual([
        ['item.1', 2, [1, 2, 3]],
        ['item.2', 1, [4, 5, 6]],
      ]);
      const other = await collect(embeddings.rowsOf(OTHER));
      expect(other.map((row) => [row.itemId, Array.from(row.vector)])).toEqual([
        ['item.3', [0.5, -1.25, 3]],
      ]);
    });

    it('returns user vectors only in the model space asked for', async () => {
      const embeddings = stores.get(EmbeddingStore);
      await embeddings.saveUsers(
        [
          { userId: 'u1', vector: Float32Array.from([1, 1]) },
          { userId: 'u2', vector: Float32Array.from([2, 2]) },
        ],
        MODEL,
        1_000,
      );
      await embeddings.saveUsers(
        [{ userId: 'u2', vector: Float32Array.from([9, 9]) }],
        OTHER,
        2_000,
      );
      const found = await embeddings.usersOf(['u1', 'u2', 'nobody'], MODEL);
      expect([...found].map(([id, v]) => [id, Array.from(v)])).toEqual([['u1', [1, 1]]]);
      const inOther = await embeddings.usersOf(['u1', 'u2'], OTHER);
      expect([...inOther].map(([id, v]) => [id, Array.from(v)])).toEqual([['u2', [9, 9]]]);
    });

    it("replaces a user's recommendation list and answers null for unknown users", async () => {
      const lists = stores.get(RecommendationRepository);
      const list = (n: number): RecommendationList => ({
        userId: 'reader',
        items: [
          { itemId: `a${n}`, score: 0.75 },
          { itemId: `b${n}`, score: 0.5 },
        ],
        model: MODEL,
        asOfEventId: `event-${n}`,
        asOfEventTime: 1_000 + n,
        asOfVersion: n,
        computedAt: 2_000 + n,
      });
      await lists.saveMany([list(1)]);
      await lists.saveMany([list(2)]);
      expect(await lists.findOne('reader')).toEqual(list(2));
      expect(await lists.findOne('nobody')).toBeNull();
    });

    it('refuses a list computed from an older snapshot than the stored one, and says whose', async () => {
      const lists = stores.get(RecommendationRepository);
      const list = (userId: string, version: number): RecommendationList => ({
        userId,
        items: [{ itemId: `i${version}`, score: version }],
        model: MODEL,
        asOfEventId: `${userId}-${version}`,
        asOfEventTime: version,
        asOfVersion: version,
        computedAt: version,
      });
      expect(await lists.saveMany([list('old', 5), list('new', 5)])).toEqual(new Set());
      // A resumed replica's batch: older for one user, newer for the other, in one write.
      expect(await lists.saveMany([list('old', 3), list('new', 7)])).toEqual(new Set(['old']));
      expect((await lists.findOne('old'))?.asOfEventId).toBe('old-5');
      expect((await lists.findOne('new'))?.asOfEventId).toBe('new-7');
      // The same snapshot again (a redelivery) is written as usual.
      expect(await lists.saveMany([list('old', 5)])).toEqual(new Set());
    });
  },
  ['mongo'],
);
