import { type InboundBatch } from '@kairos/messaging';
import { type EngineService } from '../engine/engine.service';
import { CatalogService } from './catalog.service';

function batch(...records: Array<[string, { available: boolean } | null]>): InboundBatch {
  return {
    topic: 'items',
    partitions: [0],
    messages: records.map(([itemId, item], offset) => ({
      key: itemId,
      value:
        item === null
          ? null
          : Buffer.from(JSON.stringify({ itemId, title: itemId, categories: ['c'], ...item })),
      headers: {},
      topic: 'items',
      partition: 0,
      offset: String(offset),
      timestamp: 0,
    })),
  };
}

describe('CatalogService availability', () => {
  const catalog = (): CatalogService =>
    new CatalogService({ current: () => null } as unknown as EngineService, {
      create: () => ({ start: async () => {}, stop: async () => {} }),
    });

  it('changes its version exactly when the set of unavailable items changes', () => {
    const items = catalog();
    const versions = [items.availabilityVersion()];
    const apply = (next: InboundBatch): void => {
      items.apply(next);
      versions.push(items.availabilityVersion());
    };
    apply(batch(['a', { available: true }])); // new and available: no change
    apply(batch(['a', { available: false }])); // withdrawn
    apply(batch(['a', { available: false }])); // again: no change
    apply(batch(['a', { available: true }])); // restored
    apply(batch(['b', { available: false }])); // a new unavailable item
    apply(batch(['b', null])); // its tombstone
    apply(batch(['b', null])); // again: no change
    expect(versions).toEqual([0, 0, 1, 1, 2, 3, 4, 4]);
    expect([...items.unavailable()]).toEqual([]);
  });
});
