import { type SessionFeaturesMessage, type UserEventMessage } from '@kairos/contracts';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { truthOf } from '../support/click-stream';
import { FeatureHarness, mismatches } from '../support/feature-harness';
import { describeWithInfra } from '../support/infra';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

/**
 * Sessionization edge cases end to end: events go through the real broker (one record each, in
 * the arrival order given), the feature process sessionizes them with the default rules (gap
 * 30 min, maximum duration 4 h, allowed lateness 10 min), and the outcome is read back from
 * the session API and the `sessions` collection. The pure rules have unit specs beside
 * session-window.ts; this proves they hold with real delivery, batching and storage.
 */
describeWithInfra('sessionization edge cases through Kafka and MongoDB', ['kafka', 'mongo'], () => {
  jest.setTimeout(180_000);
  let harness: FeatureHarness;
  let feature: AppProcess;
  const sent: UserEventMessage[] = [];

  /** One event of `userId` at T0 + minutes, with a readable id. */
  const at = (userId: string, minutes: number, suffix = ''): UserEventMessage => ({
    eventId: `${userId}-${minutes}${suffix}`,
    userId,
    itemId: `item-${minutes}`,
    type: 'view',
    timestamp: T0 + minutes * MINUTE,
    receivedAt: T0 + minutes * MINUTE,
  });

  beforeAll(async () => {
    harness = new FeatureHarness();
    await harness.start();
    feature = await startAppProcess('feature', harness.appEnv, 3990);
    const gap = [at('gap', 0), at('gap', 30), at('gap', 60.0001)];
    const outOfOrder = [at('ooo', 0), at('ooo', 2), at('ooo', 1)];
    const late = [at('late', 0), at('late', 20), at('late', 5)];
    const duplicate = at('dup', 0);
    const duplicates = [duplicate, duplicate, at('dup', 1)];
    // Every 20 minutes from 0 to 260: 240 - 0 is not above the maximum, 260 - 0 is.
    const longSession = Array.from({ length: 14 }, (_, i) => at('max', i * 20));
    const events = [...gap, ...outOfOrder, ...late, ...duplicates, ...longSession];
    // One record per send: arrival order is exactly the order above.
    for (const event of events) await harness.produce([event]);
    sent.push(...events);
    // A redelivery long after the first copy was processed (same eventId, new offset).
    await harness.waitUntilCaughtUp(truthOf(sent));
    await harness.produce([duplicate]);
  });

  afterAll(async () => {
    await feature?.stop();
    await harness?.stop();
  });

  const session = async (userId: string): Promise<SessionFeaturesMessage> => {
    const response = await fetch(`${feature.baseUrl}/v1/users/${userId}/session`);
    expect(response.status).toBe(200);
    return (await response.json()) as SessionFeaturesMessage;
  };
  const eventIdsOf = (features: SessionFeaturesMessage) =>
    features.window?.events.map((event) => event.timestamp - T0) ?? [];

  it('keeps a gap of exactly the inactivity gap in the session and splits just past it', async () => {
    const features = await session('gap');
    expect(eventIdsOf(features)).toEqual([60.0001 * MINUTE]);
    expect(features.profile.sessionCount).toBe(2);
    const closed = await harness.storedSessions('gap');
    expect(closed.map((s) => [s.closed, s.eventCount])).toEqual([
      [true, 2],
      [false, 1],
    ]);
  });

  it('places an out-of-order event within the allowed lateness in event-time order', async () => {
    const features = await session('ooo');
    expect(eventIdsOf(features)).toEqual([0, MINUTE, 2 * MINUTE]);
    expect(features.window?.eventCount).toBe(3);
  });

  it('counts an event later than the allowed lateness in the profile only', async () => {
    const features = await session('late');
    expect(eventIdsOf(features)).toEqual([0, 20 * MINUTE]);
    expect(features.window?.eventCount).toBe(2);
    expect(features.profile.totalEvents).toBe(3);
  });

  it('never counts a duplicated or redelivered eventId twice', async () => {
    // The late redelivery is processed once the lag is back to 0.
    await harness.waitUntilCaughtUp(truthOf(sent));
    const features = await session('dup');
    expect(features.profile.totalEvents).toBe(2);
    expect(features.window?.eventCount).toBe(2);
    expect(mismatches(truthOf(sent), await harness.storedTotals())).toEqual([]);
  });

  it('closes a session at the maximum duration even without an inactivity gap', async () => {
    const features = await session('max');
    expect(eventIdsOf(features)).toEqual([260 * MINUTE]);
    const sessions = await harness.storedSessions('max');
    expect(sessions.map((s) => [s.closed, s.eventCount, s.startedAt - T0])).toEqual([
      [true, 13, 0],
      [false, 1, 260 * MINUTE],
    ]);
  });
});
