import { Binary, ObjectId } from 'mongodb';
import { boundedStatement, MAX_STATEMENT_LENGTH } from './db-statement';

describe('boundedStatement', () => {
  it('shows the shape with every value as ?, as the default serializer does', () => {
    expect(boundedStatement({ find: 'recommendations', filter: { userId: 'u-1' }, limit: 1 })).toBe(
      '{"find":"?","filter":{"userId":"?"},"limit":"?"}',
    );
  });

  it('keeps the first element of an array and counts the rest', () => {
    const lists = Array.from({ length: 256 }, (_, index) => ({
      q: { _id: `user-${index}` },
      u: {
        $set: {
          items: [
            { itemId: 'a', score: 1 },
            { itemId: 'b', score: 0.5 },
          ],
        },
      },
      upsert: true,
    }));
    expect(boundedStatement({ update: 'recommendations', updates: lists, ordered: false })).toBe(
      '{"update":"?","updates":[{"q":{"_id":"?"},"u":{"$set":{"items":[{"itemId":"?","score":"?"},"1 more"]}},"upsert":"?"},"255 more"],"ordered":"?"}',
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
