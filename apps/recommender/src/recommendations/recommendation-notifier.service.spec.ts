import { type RecommendationList } from './recommendation';
import {
  RecommendationNotifier,
  type RecommendationUpdate,
} from './recommendation-notifier.service';

function update(userId: string, asOfEventId: string): RecommendationUpdate {
  const list: RecommendationList = {
    userId,
    items: [{ itemId: 'item-1', score: 0.5 }],
    model: { name: 'm', version: '1' },
    asOfEventId,
    asOfEventTime: 1_000,
    asOfVersion: 1,
    computedAt: 1_250,
  };
  return { list, traceId: null, featureProcessedAt: 1_100, receivedAt: 1_200, savedAt: 1_260 };
}

describe('RecommendationNotifier', () => {
  it('hands each saved list to the listeners of its user only', () => {
    const notifier = new RecommendationNotifier();
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    notifier.listen('a', (u) => seenByA.push(u.list.asOfEventId ?? ''));
    notifier.listen('b', (u) => seenByB.push(u.list.asOfEventId ?? ''));
    notifier.notify(update('a', 'e1'));
    notifier.notify(update('c', 'e2'));
    notifier.notify(update('a', 'e3'));
    expect(seenByA).toEqual(['e1', 'e3']);
    expect(seenByB).toEqual([]);
  });

  it('stops calling a listener once it stops listening, and forgets unwatched users', () => {
    const notifier = new RecommendationNotifier();
    const seen: string[] = [];
    const stop = notifier.listen('a', (u) => seen.push(u.list.asOfEventId ?? ''));
    const stopOther = notifier.listen('a', () => undefined);
    expect(notifier.isWatched('a')).toBe(true);
    stop();
    notifier.notify(update('a', 'e1'));
    expect(seen).toEqual([]);
    expect(notifier.isWatched('a')).toBe(true);
    stopOther();
    expect(notifier.isWatched('a')).toBe(false);
  });

  it('keeps notifying the other listeners when one throws', () => {
    const notifier = new RecommendationNotifier();
    const seen: string[] = [];
    notifier.listen('a', () => {
      throw new Error('broken page');
    });
    notifier.listen('a', (u) => seen.push(u.list.asOfEventId ?? ''));
    expect(() => notifier.notify(update('a', 'e1'))).not.toThrow();
    expect(seen).toEqual(['e1']);
  });

  it('lets a listener stop itself while being called', () => {
    const notifier = new RecommendationNotifier();
    const seen: string[] = [];
    const stop = notifier.listen('a', (u) => {
      seen.push(u.list.asOfEventId ?? '');
      stop();
    });
    notifier.notify(update('a', 'e1'));
    notifier.notify(update('a', 'e2'));
    expect(seen).toEqual(['e1']);
    expect(notifier.isWatched('a')).toBe(false);
  });
});
