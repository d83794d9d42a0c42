import { generateSyntheticData, type SyntheticEvent } from './synthetic-events';

const OPTIONS = { events: 20_000, users: 500, items: 400, clusters: 12, seed: 5 };

function collect(options = OPTIONS): SyntheticEvent[] {
  return [...generateSyntheticData(options).events()];
}

describe('generateSyntheticData', () => {
  const events = collect();
  const catalog = generateSyntheticData(OPTIONS).catalog;
  const clusterById = new Map(catalog.items.map((item) => [item.itemId, item.properties.cluster]));

  it('emits exactly the requested number of events, in time order, reproducibly', () => {
    expect(events).toHaveLength(OPTIONS.events);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.timestamp).toBeGreaterThanOrEqual(events[i - 1]!.timestamp);
    }
    expect(collect().slice(0, 50)).toEqual(events.slice(0, 50));
    expect(collect({ ...OPTIONS, seed: 6 }).slice(0, 50)).not.toEqual(events.slice(0, 50));
  });

  it('skews popularity: the top 5% of items draw far more than 5% of events', () => {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.itemId, (counts.get(event.itemId) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(OPTIONS.items * 0.05)).reduce((sum, n) => sum + n, 0);
    expect(top / events.length).toBeGreaterThan(0.2);
  });

  it('keeps most within-session transitions inside one cluster', () => {
    let sameCluster = 0;
    let transitions = 0;
    const lastBySession = new Map<string, string>();
    for (const event of events) {
      const previous = lastBySession.get(event.sessionId);
      if (previous !== undefined) {
        transitions += 1;
        if (clusterById.get(previous) === clusterById.get(event.itemId)) sameCluster += 1;
      }
      lastBySession.set(event.sessionId, event.itemId);
    }
    expect(sameCluster / transitions).toBeGreaterThan(0.7);
  });

  it('separates a user’s sessions by at least the 30-minute inactivity gap', () => {
    const lastByUser = new Map<string, SyntheticEvent>();
    for (const event of events) {
      const previous = lastByUser.get(event.userId);
      if (previous !== undefined && previous.sessionId !== event.sessionId) {
        expect(event.timestamp - previous.timestamp).toBeGreaterThan(30 * 60_000);
      }
      lastByUser.set(event.userId, event);
    }
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['view', 'click', 'add_to_cart', 'purchase']),
    );
  });

  it('builds a readable catalog with one category per cluster and unique ids', () => {
    expect(new Set(catalog.items.map((item) => item.itemId)).size).toBe(OPTIONS.items);
    expect(new Set(catalog.items.map((item) => item.categories[0])).size).toBe(OPTIONS.clusters);
    for (const item of catalog.items) expect(item.title).toMatch(/^[A-Z][a-z]+ [A-Z]/);
  });
});
