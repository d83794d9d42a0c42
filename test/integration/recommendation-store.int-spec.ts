import mongoose, { type Connection, type Model } from 'mongoose';
import { type RecommendationList } from '../../apps/recommender/src/recommendations/recommendation';
import {
  RecommendationDocument,
  RecommendationSchema,
} from '../../apps/recommender/src/recommendations/recommendation.schema';
import { MongoRecommendationRepository } from '../../apps/recommender/src/recommendations/mongo-recommendation.repository';
import {
  READ_THROUGH_FRESH_MS,
  RecommendationStore,
} from '../../apps/recommender/src/recommendations/recommendation.store';
import { ConsumerAssignments } from '@kairos/messaging';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../support/infra';

const list = (userId: string, version: number): RecommendationList => ({
  userId,
  items: [{ itemId: `item-${version}`, score: version }],
  model: { name: 'm', version: '1' },
  asOfEventId: `${userId}-e${version}`,
  asOfEventTime: 1_000 * version,
  asOfVersion: version,
  computedAt: 5_000 + version,
});

/**
 * Found by the frozen-recommender chaos scenario: a replica that resumed after its partitions had
 * moved wrote lists from older snapshots over newer ones. Writes are now conditional on the
 * snapshot's version, against the real MongoDB-protocol server.
 */
describeWithInfra(
  'recommendation store: versioned writes and a cache trusted while the partitions are owned',
  ['mongo'],
  () => {
    let connection: Connection;
    let model: Model<RecommendationDocument>;
    let now = 0;
    const newStore = (assignments = new ConsumerAssignments(), cachedListItems = 100) =>
      new RecommendationStore(new MongoRecommendationRepository(model), () => now, assignments, {
        recommender: { embeddingCheckpointMs: 0, cachedListItems },
      });

    beforeAll(async () => {
      const uri = new URL(requireEnv('MONGODB_URI'));
      uri.pathname = `/${uniqueTestPrefix('recstore').replace(/\W/g, '_')}`;
      connection = await mongoose.createConnection(uri.toString()).asPromise();
      model = connection.model<RecommendationDocument>(
        RecommendationDocument.name,
        RecommendationSchema,
      );
    });

    afterAll(async () => {
      await connection.dropDatabase();
      await connection.close();
    });

    it('never replaces a list with one computed from an older snapshot, in MongoDB or the cache', async () => {
      const store = newStore();
      await store.saveMany([list('a', 5), list('b', 5)]);
      // A resumed replica's batch: older for a, newer for b, in one unordered write.
      await store.saveMany([list('a', 3), list('b', 7)]);

      expect(store.cached('a')).toBeUndefined();
      expect((await store.stored('a'))?.asOfEventId).toBe('a-e5');
      expect((await newStore().stored('b'))?.asOfEventId).toBe('b-e7');
      expect(store.cached('b')?.asOfEventId).toBe('b-e7');

      // The same snapshot again (a redelivery) is written as usual.
      await store.saveMany([list('a', 5)]);
      expect(store.cached('a')?.asOfEventId).toBe('a-e5');
    });

    it('replaces lists stored before versions were recorded', async () => {
      await model.collection.insertOne({
        _id: 'legacy' as never,
        items: [],
        model: { name: 'm', version: '1' },
        asOfEventId: 'old',
        asOfEventTime: null,
        computedAt: new Date(0),
      });
      await newStore().saveMany([list('legacy', 1)]);
      expect((await newStore().stored('legacy'))?.asOfEventId).toBe('legacy-e1');
    });

    it('keeps the list it just wrote when a read of MongoDB started before the write returns after it', async () => {
      // A GET missed the cache and read MongoDB; a batch wrote a newer list before that read's
      // answer was taken in. The read's older copy must not replace the newer one in memory.
      let readAnswered = (): void => undefined;
      let releaseRead = (): void => undefined;
      const answered = new Promise<void>((resolve) => (readAnswered = resolve));
      const released = new Promise<void>((resolve) => (releaseRead = resolve));
      class HeldReadRepository extends MongoRecommendationRepository {
        override async findOne(userId: string): Promise<RecommendationList | null> {
          const found = await super.findOne(userId);
          readAnswered();
          await released;
          return found;
        }
      }
      await newStore().saveMany([list('d', 5)]);
      const store = new RecommendationStore(
        new HeldReadRepository(model),
        () => now,
        new ConsumerAssignments(),
        { recommender: { embeddingCheckpointMs: 0, cachedListItems: 100 } },
      );
      const read = store.stored('d');
      await answered; // MongoDB answered v5; the write lands before the store takes it in.
      await store.saveMany([list('d', 7)]);
      releaseRead();
      expect((await read)?.asOfEventId).toBe('d-e5');

      expect(store.cached('d')?.asOfEventId).toBe('d-e7');
      expect((await newStore().stored('d'))?.asOfEventId).toBe('d-e7');
    });

    it('answers lists it computed from memory until its partitions may have moved', async () => {
      const assignments = new ConsumerAssignments();
      const mine = newStore(assignments);
      const other = newStore();
      await mine.saveMany([list('c', 1)]);
      now += READ_THROUGH_FRESH_MS * 10;
      expect(mine.cached('c')?.asOfEventId).toBe('c-e1');

      // A rebalance gives c's partition to the other replica, which writes a newer list.
      assignments.changed('recommender');
      await other.saveMany([list('c', 2)]);
      expect(mine.cached('c')).toBeUndefined();
      expect((await mine.stored('c'))?.asOfEventId).toBe('c-e2');
    });

    it('trusts a list it only read briefly, then reads what the owner wrote since', async () => {
      const mine = newStore();
      const owner = newStore();
      await owner.saveMany([list('e', 1)]);
      expect((await mine.stored('e'))?.asOfEventId).toBe('e-e1');
      await owner.saveMany([list('e', 2)]);
      expect(mine.cached('e')?.asOfEventId).toBe('e-e1');
      now += READ_THROUGH_FRESH_MS + 1;
      expect(mine.cached('e')).toBeUndefined();
      expect((await mine.stored('e'))?.asOfEventId).toBe('e-e2');
    });

    it('keeps the head of each list in memory and the whole list in MongoDB', async () => {
      const store = newStore(new ConsumerAssignments(), 3);
      const items = [5, 4, 3, 2, 1].map((score) => ({ itemId: `i${score}`, score }));
      await store.saveMany([
        { ...list('f', 1), items },
        { ...list('g', 1), items: items.slice(3) },
      ]);

      const head = store.cached('f');
      expect(head?.items).toEqual(items.slice(0, 3));
      expect(head?.complete).toBe(false);
      expect((await store.storedInFull('f'))?.items).toEqual(items);
      // Reading the whole list leaves the cached head as it was.
      expect(store.cached('f')).toEqual(head);
      expect(store.cached('g')).toMatchObject({ items: items.slice(3), complete: true });
    });
  },
);
