import { type ItemRowUpdate } from '@kairos/recsys';
import { getModelToken } from '@nestjs/mongoose';
import { type Model, mongo } from 'mongoose';
import { ItemEmbeddingDocument } from '../../apps/recommender/src/embeddings/embedding.schema';
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

/** Rows applied in the order read, later ones winning, as the engine restores them. */
function latestPerItem(rows: readonly ItemRowUpdate[]): Array<[string, number, number[]]> {
  const latest = new Map<string, ItemRowUpdate>();
  for (const row of rows) latest.set(row.itemId, row);
  return [...latest.values()]
    .sort((a, b) => a.itemId.localeCompare(b.itemId))
    .map((row) => [row.itemId, row.version, Array.from(row.vector)]);
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

    it('restores the latest row per item, per model space, as a copy of what was saved', async () => {
      const embeddings = stores.get(EmbeddingStore);
      const vector = Float32Array.from([0.5, -1.25, 3]);
      await embeddings.appendRows([{ itemId: 'item.1', version: 1, vector }], MODEL, 1_000);
      await embeddings.appendRows(
        [
          { itemId: 'item.1', version: 2, vector: Float32Array.from([1, 2, 3]) },
          { itemId: 'item.2', version: 1, vector: Float32Array.from([4, 5, 6]) },
        ],
        MODEL,
        2_000,
      );
      await embeddings.appendRows([{ itemId: 'item.3', version: 7, vector }], OTHER, 3_000);
      vector[0] = 42;
      const rows = latestPerItem(await collect(embeddings.rowsOf(MODEL)));
      expect(rows).toEqual([
        ['item.1', 2, [1, 2, 3]],
        ['item.2', 1, [4, 5, 6]],
      ]);
      expect(latestPerItem(await collect(embeddings.rowsOf(OTHER)))).toEqual([
        ['item.3', 7, [0.5, -1.25, 3]],
      ]);
    });

    it('a full write supersedes the rows stored before it, in its model space only', async () => {
      const embeddings = stores.get(EmbeddingStore);
      const space = { name: 'compacted', version: '1' };
      const untouched = { name: 'compacted', version: '2' };
      const row = (itemId: string, version: number, value: number) => ({
        itemId,
        version,
        vector: Float32Array.from([value, value]),
      });
      await embeddings.appendRows([row('a', 1, 1), row('b', 1, 1)], space, 1_000);
      await embeddings.appendRows([row('a', 2, 2)], space, 2_000);
      await embeddings.appendRows([row('z', 1, 9)], untouched, 2_000);
      await embeddings.replaceAllRows([row('a', 3, 3), row('b', 1, 1)], space, 60_000);

      // Each item once: what was appended before the full write is gone.
      const rows = await collect(embeddings.rowsOf(space));
      expect(rows.map((r) => [r.itemId, r.version, Array.from(r.vector)])).toEqual([
        ['a', 3, [3, 3]],
        ['b', 1, [1, 1]],
      ]);
      expect(latestPerItem(await collect(embeddings.rowsOf(untouched)))).toEqual([
        ['z', 1, [9, 9]],
      ]);
    });

    if (mode === 'distributed') {
      it('still reads rows stored one document per item (the shape before batches)', async () => {
        const legacy = { name: 'legacy', version: '1' };
        const collection = stores.get<Model<ItemEmbeddingDocument>>(
          getModelToken(ItemEmbeddingDocument.name),
        ).collection;
        await collection.insertOne({
          _id: 'old.item' as unknown as mongo.ObjectId,
          model: legacy,
          version: 4,
          vector: new mongo.Binary(Buffer.from(Float32Array.from([1.5, -2]).buffer)),
          updatedAt: new Date(500),
        });
        const embeddings = stores.get(EmbeddingStore);
        await embeddings.appendRows(
          [{ itemId: 'new.item', version: 1, vector: Float32Array.from([3, 4]) }],
          legacy,
          1_000,
        );
        expect(latestPerItem(await collect(embeddings.rowsOf(legacy)))).toEqual([
          ['new.item', 1, [3, 4]],
          ['old.item', 4, [1.5, -2]],
        ]);
      });
    }

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

    it('saves users from a lazy iterable, more than one bulk write holds', async () => {
      const embeddings = stores.get(EmbeddingStore);
      const ids = Array.from({ length: 450 }, (_, i) => `lazy-${i}`);
      function* vectors() {
        for (const [i, userId] of ids.entries()) yield { userId, vector: Float32Array.of(i, -i) };
      }
      await embeddings.saveUsers(vectors(), MODEL, 1_000);
      const found = await embeddings.usersOf(ids, MODEL);
      expect(found.size).toBe(450);
      expect(Array.from(found.get('lazy-449') ?? [])).toEqual([449, -449]);
      expect(Array.from(found.get('lazy-200') ?? [])).toEqual([200, -200]);
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
