import { type MessageEvent } from '@nestjs/common';
import { type ItemMessage } from '@kairos/contracts';
import { KairosError } from '@kairos/http';
import { type Subscription } from 'rxjs';
import {
  RecommendationNotifier,
  type RecommendationUpdate,
} from '../recommendations/recommendation-notifier.service';
import { DemoStreams } from './demo-streams.service';
import { type DemoUpdateView } from './demo-update.view';

const items = new Map<string, ItemMessage>([
  [
    'item-1',
    {
      itemId: 'item-1',
      title: 'Alpine Hammock',
      categories: ['Outdoor'],
      tags: [],
      available: true,
      properties: {},
      updatedAt: 0,
    },
  ],
]);

function update(userId: string, asOfEventId: string): RecommendationUpdate {
  return {
    list: {
      userId,
      items: Array.from({ length: 30 }, (_, i) => ({
        itemId: `item-${i + 1}`,
        score: 1 - i / 100,
      })),
      model: { name: 'kairos-default', version: '1' },
      asOfEventId,
      asOfEventTime: 10_000,
      asOfVersion: 1,
      computedAt: 10_180,
    },
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    featureProcessedAt: 10_090,
    receivedAt: 10_120,
    savedAt: 10_200,
  };
}

describe('DemoStreams', () => {
  const open: Subscription[] = [];
  afterEach(() => open.splice(0).forEach((subscription) => subscription.unsubscribe()));

  function watch(streams: DemoStreams, userId: string, max?: number): MessageEvent[] {
    const events: MessageEvent[] = [];
    open.push(streams.updatesOf(userId, max).subscribe((event) => events.push(event)));
    return events;
  }

  it("says ready, then relays the user's lists with titles, provenance and stage times", () => {
    const notifier = new RecommendationNotifier();
    const streams = new DemoStreams(notifier, items);
    const events = watch(streams, 'u1');
    notifier.notify(update('u2', 'other-user'));
    notifier.notify(update('u1', 'e1'));

    expect(events.map((event) => event.type)).toEqual(['ready', 'recommendations']);
    const view = events[1]?.data as DemoUpdateView;
    expect(view.items).toHaveLength(10);
    expect(view.items[0]).toEqual({
      itemId: 'item-1',
      title: 'Alpine Hammock',
      category: 'Outdoor',
      score: 1,
    });
    // Not in the catalog (yet): the id stands in for the title.
    expect(view.items[1]).toMatchObject({ itemId: 'item-2', title: 'item-2', category: null });
    expect(view).toMatchObject({
      userId: 'u1',
      model: { name: 'kairos-default', version: '1' },
      asOfEventId: 'e1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      freshnessMs: 180,
      stages: {
        eventTime: 10_000,
        featureProcessedAt: 10_090,
        recommenderReceivedAt: 10_120,
        computedAt: 10_180,
        savedAt: 10_200,
      },
    });
  });

  it('refuses streams beyond the cap with 503 and takes new ones once one closes', () => {
    const notifier = new RecommendationNotifier();
    const streams = new DemoStreams(notifier, items);
    watch(streams, 'u1', 2);
    watch(streams, 'u2', 2);
    expect(streams.openCount).toBe(2);
    let refused: unknown;
    try {
      streams.updatesOf('u3', 2);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(KairosError);
    expect((refused as KairosError).code).toBe('overloaded');

    open.shift()?.unsubscribe();
    expect(streams.openCount).toBe(1);
    expect(notifier.isWatched('u1')).toBe(false);
    expect(watch(streams, 'u3', 2).map((event) => event.type)).toEqual(['ready']);
  });

  it('completes every open stream at shutdown, stops listening and opens no new one', () => {
    const notifier = new RecommendationNotifier();
    const streams = new DemoStreams(notifier, items);
    let completed = 0;
    for (const userId of ['u1', 'u2']) {
      open.push(streams.updatesOf(userId).subscribe({ complete: () => (completed += 1) }));
    }
    streams.beforeApplicationShutdown();
    expect(completed).toBe(2);
    expect(streams.openCount).toBe(0);
    expect(notifier.isWatched('u1') || notifier.isWatched('u2')).toBe(false);
    // A page reconnecting meanwhile is turned away rather than holding the server open.
    expect(() => streams.updatesOf('u1')).toThrow(/shutting down/);
  });
});
