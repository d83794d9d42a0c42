import mongoose from 'mongoose';

/**
 * The storage server's own rate for what the recommender writes per user: one replaceOne
 * (upsert) of a 100-item list, in unordered bulkWrites of `batchSize` documents, with the bare
 * driver. Precomputing lists cannot go faster than this on the same server.
 */
export async function mongoListWritesPerSecond(
  uri: string,
  count: number,
  batchSize = 50,
): Promise<number> {
  const connection = await mongoose.createConnection(uri).asPromise();
  const collection = connection.collection<{ _id: string }>('bench_list_reference');
  const items = Array.from({ length: 100 }, (_, i) => ({ itemId: `item-${i * 97}`, score: i / 7 }));
  const started = performance.now();
  for (let start = 0; start < count; start += batchSize) {
    const ids = Array.from(
      { length: Math.min(batchSize, count - start) },
      (_, i) => `u${start + i}`,
    );
    await collection.bulkWrite(
      ids.map((_id) => ({
        replaceOne: {
          filter: { _id },
          replacement: {
            items,
            model: { name: 'bench-random', version: '1' },
            asOfEventId: `${_id}-e1`,
            asOfEventTime: Date.now(),
            computedAt: new Date(),
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
  const perSecond = count / ((performance.now() - started) / 1_000);
  await collection.drop();
  await connection.close();
  return perSecond;
}
