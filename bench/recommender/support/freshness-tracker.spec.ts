import { FreshnessTracker } from './freshness-tracker';

describe('FreshnessTracker', () => {
  it('measures an event from its POST to the first list as of it', () => {
    const tracker = new FreshnessTracker();
    tracker.sent('u1', 'e1', 1_000);
    expect(tracker.observed('u1', 'e1', 1_120, 1_130)).toBe(1);
    expect(tracker.reflections()).toEqual([{ computedMs: 120, observedMs: 130 }]);
    expect(tracker.pending).toBe(0);
  });

  it('counts an overtaken event at the first list covering it, once', () => {
    const tracker = new FreshnessTracker();
    tracker.sent('u1', 'e1', 1_000);
    tracker.sent('u1', 'e2', 1_050);
    tracker.sent('u1', 'e3', 1_100);
    expect(tracker.observed('u1', 'e2', 1_200, 1_210)).toBe(2);
    expect(tracker.observed('u1', 'e2', 1_300, 1_310)).toBe(0);
    expect(tracker.usersWithPending()).toEqual(['u1']);
    expect(tracker.reflections().map((r) => r.computedMs)).toEqual([200, 150]);
  });

  it('ignores lists of other users and of events it never sent', () => {
    const tracker = new FreshnessTracker();
    tracker.sent('u1', 'e1', 1_000);
    expect(tracker.observed('u2', 'e1', 1_100, 1_100)).toBe(0);
    expect(tracker.observed('u1', 'warm-up', 1_100, 1_100)).toBe(0);
    expect(tracker.observed('u1', null, 1_100, 1_100)).toBe(0);
    expect(tracker.pending).toBe(1);
  });
});
