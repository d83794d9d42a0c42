import { MongoClient, Binary } from 'mongodb';
async function main() {
  const c = await MongoClient.connect(process.argv[2]!);
  const db = c.db('mtest_' + Date.now()); const col = db.collection<any>('rows');
  const doc = () => ({ v: new Binary(Buffer.alloc(256)), t: new Date(), n: Math.random() });
  const op = () => ({ replaceOne: { filter: { _id: 'i' + Math.floor(Math.random() * 1000) }, replacement: doc(), upsert: true } });
  for (const [label, conc, size] of [['1x1', 1, 1], ['1x5', 1, 5], ['12x5 concurrent', 12, 5], ['1x60', 1, 60], ['find 1', 1, 0]] as const) {
    const t: number[] = [];
    for (let r = 0; r < 15; r++) {
      const s = performance.now();
      if (size === 0) await col.findOne({ _id: 'i1' });
      else await Promise.all(Array.from({ length: conc }, () => col.bulkWrite(Array.from({ length: size }, op), { ordered: false })));
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b); console.log(label, 'median ms', t[7]!.toFixed(1), 'min', t[0]!.toFixed(1));
  }
  await db.dropDatabase(); await c.close();
}
main();
