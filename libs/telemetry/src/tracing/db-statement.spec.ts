import { Binary, ObjectId } from 'mongodb';
import { boundedStatement, MAX_STATEMENT_LENGTH } from './db-statement';

describe('boundedStatement', () => {
  it('shows the shape with every value as ?, as the default serializer does', () => {
    expect(boundedStatement({ find: 'recommendations', filter: { userId: 'u-1' }, limit: 1 })).toBe(
      '{"find":"?","filter":{"userId":"?"},"limit":"?"}',
    );
  });

  it('shows short arrays whole and long ones by their first element and a count', () => {
    const lists = Array.from({ length: 256 }, (_, index) => ({
      q: {
        _id: `user-${index}`,
        $or: [{ v: { $lte: 3 } }, { v: null }, { v: { $exists: false } }],
      },
      u: { items: Array.from({ length: 100 }, (_, item) => ({ itemId: `i${item}`, score: 1 })) },
      upsert: true,
    }));
    expect(boundedStatement({ update: 'recommendations', updates: lists, ordered: false })).toBe(
      '{"update":"?","updates":[{"q":{"_id":"?","$or":[{"v":{"$lte":"?"}},{"v":"?"},{"v":{"$exists":"?"}}]},"u":{"items":[{"itemId":"?","score":"?"},"99 more"]},"upsert":"?"},"255 more"],"ordered":"?"}',
    );
    expect(boundedStatement({ pipeline: [[1, 2], [3]] })).toBe('{"pipeline":[["?","?"],["?"]]}');
  });

  it('records Maps, Buffers and cycles as values, never their contents', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(
      boundedStatement({ map: new Map([['k', 'secret']]), bytes: Buffer.from('secret'), cyclic }),
    ).toBe(
      `{"map":"?","bytes":"?","cyclic":{"name":"?","self":${'{"name":"?","self":'.repeat(6)}"?"${'}'.repeat(7)}}`,
    );
  });

  it('records no BSON value, empty arrays as such, and skips undefined fields', () => {
    expect(
      boundedStatement({
        insert: 'item_embeddings',
        documents: [
          { _id: new ObjectId(), rows: new Binary(Buffer.alloc(16)), tags: [], gone: undefined },
        ],
      }),
    ).toBe('{"insert":"?","documents":[{"_id":"?","rows":"?","tags":[]}]}');
  });

  it('stops at MAX_STATEMENT_LENGTH however wide or deep the command is', () => {
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, i]));
    const wideText = boundedStatement(wide);
    expect(wideText).toHaveLength(MAX_STATEMENT_LENGTH);
    expect(wideText.endsWith('…')).toBe(true);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 50; level++) deep = { next: deep };
    expect(boundedStatement(deep)).toBe(`${'{"next":'.repeat(8)}"?"${'}'.repeat(8)}`);
  });
});
