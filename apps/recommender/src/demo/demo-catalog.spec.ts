import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ItemMessage } from '@kairos/contracts';
import { readDemoCatalog, seedDemoCatalog } from './demo-catalog';
import { browseCatalog } from './demo-catalog.view';

describe('demo catalog', () => {
  it('reads the committed catalog: 1,500 valid items in the 12 documented categories', async () => {
    const entries = await readDemoCatalog();
    expect(entries).toHaveLength(1_500);
    expect(entries[0]).toMatchObject({
      itemId: 'item-00001',
      item: { title: 'Alpine Hammock', categories: ['Outdoor'], available: true },
    });
    const categories = new Set(entries.flatMap((entry) => entry.item.categories ?? []));
    expect(categories.size).toBe(12);
  });

  it('names the line of an entry the items API would refuse', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kairos-demo-')), 'catalog.jsonl');
    writeFileSync(file, '{"itemId":"a","title":"ok"}\n\n{"itemId":"b","available":"yes"}\n');
    await expect(readDemoCatalog(file)).rejects.toThrow(/catalog\.jsonl:3: available/);
  });

  it('puts every entry, a bounded number at a time', async () => {
    const entries = (await readDemoCatalog()).slice(0, 70);
    const put: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const count = await seedDemoCatalog(
      entries,
      async (itemId) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        put.push(itemId);
        inFlight -= 1;
      },
      8,
    );
    expect(count).toBe(70);
    expect(put.sort()).toEqual(entries.map((entry) => entry.itemId).sort());
    expect(mostInFlight).toBe(8);
  });

  it('browses by category with every category counted, in a stable order', () => {
    const item = (itemId: string, category: string, price?: number): ItemMessage => ({
      itemId,
      title: `Title ${itemId}`,
      categories: [category],
      tags: [],
      available: true,
      properties: price === undefined ? {} : { price },
      updatedAt: 0,
    });
    const items = [item('c', 'Pets', 3), item('a', 'Pets'), item('b', 'Audio', 9.5)];
    expect(browseCatalog(items, 'Pets', 1)).toEqual({
      categories: [
        { name: 'Audio', items: 1 },
        { name: 'Pets', items: 2 },
      ],
      category: 'Pets',
      total: 2,
      items: [{ itemId: 'a', title: 'Title a', category: 'Pets', price: null, available: true }],
    });
    expect(browseCatalog(items, null, 10).items.map((entry) => entry.itemId)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
