import { MongoClient } from 'mongodb';
async function main() {
  const c = await MongoClient.connect(process.argv[2]!);
  const db = c.db('mtest_' + Date.now()); const col = db.collection<any>('users');
  const big = () => ({ state: { events: Array.from({ length: 50 }, (_, i) => ({ eventId: crypto.randomUUID(), itemId: 'item-' + i, type: 'click', timestamp: Date.now() })), recent: Array.from({ length: 64 }, () => crypto.randomUUID()) }, version: 1 });
  console.log('doc bytes ~', JSON.stringify(big()).length);
  for (let i = 0; i < 300; i += 50) await col.insertMany(Array.from({ length: 50 }, (_, j) => ({ _id: 'u' + (i + j), ...big() })));
  const op = () => ({ replaceOne: { filter: { _id: 'u' + Math.floor(Math.random() * 300) }, replacement: big(), upsert: true } });
  for (const [label, conc, size] of [['1x1', 1, 1], ['1x5', 1, 5], ['12x5 concurrent', 12, 5], ['1x60', 1, 60]] as const) {
    const t: number[] = [];
    for (let r = 0; r < 11; r++) {
      const s = performance.now();
      await Promise.all(Array.from({ length: conc }, () => col.bulkWrite(Array.from({ length: size }, op), { ordered: false })));
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b); console.log(label, 'median ms', t[5]!.toFixed(1), 'min', t[0]!.toFixed(1));
  }
  await db.dropDatabase(); await c.close();
}
main();
