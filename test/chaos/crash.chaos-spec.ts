import { type AppName } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import { describeWithInfra } from '../support/infra';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, percent, reportChaos, type ReportRow } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { expectExactlyOnce } from './support/exactly-once';
import { ResilientSender, truthOfAccepted } from './support/resilient-sender';
import { diagnoseStale } from './support/stale-diagnosis';

// CI runs a 15,000-event stream; the issue's full size is CHAOS_EVENTS=100000 (npm run
// test:chaos:full). Kills per app and the client rate scale the same way.
const EVENTS = chaosSetting('EVENTS', 15_000);
const KILLS = chaosSetting('KILLS', 5);
const RATE = chaosSetting('RATE', 400);
const USERS = Math.max(50, Math.round(EVENTS / 20));
/**
 * CHAOS_TOGETHER=1 kills feature and recommender at the same moments (the issue-size run once
 * left stale lists around such a moment); by default each app has its own random schedule.
 */
const TOGETHER = chaosSetting('TOGETHER', 0) === 1;
/**
 * How long recovery may take: generous, because on a busy machine the consumers can fall far
 * behind a paced stream (the 100,000-event run drained at under 100 events/s on a shared 2-core
 * box); this bounds a hang, it does not measure anything.
 */
const RECOVERY_MS = Math.max(10 * 60_000, EVENTS * 20);
const APPS: readonly AppName[] = ['ingest', 'feature', 'recommender'];

interface Kill {
  readonly app: AppName;
  readonly atAccepted: number;
  readonly atSeconds: number;
  readonly readyMs: number;
}

/**
 * kill -9 of ingest, feature and recommender at random points of a client stream, each app on its
 * own schedule, each restarted at once. Afterwards every event a client got a 202 for is counted
 * exactly once in session state, and every user's recommendations are as of their last event.
 */
describeWithInfra('chaos: kill -9 of every app during a stream', ['kafka', 'mongo'], () => {
  jest.setTimeout(RECOVERY_MS + (EVENTS / RATE) * 1_000 + 10 * 60_000);
  const stack = new ChaosStack('chaos-crash');

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('loses nothing, counts nothing twice, and serves recommendations as of the last event', async () => {
    const events = clientStream(EVENTS, USERS, stack.harness.prefix.replace(/[^A-Za-z0-9]/g, ''));
    const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: RATE });
    const streamMs = (EVENTS / RATE) * 1_000;
    const kills: Kill[] = [];
    const sharedSchedule = Array.from({ length: KILLS }, () => Math.random());
    const started = performance.now();

    // Kill k of each app falls at a random time inside the k-th slice of the stream.
    const killer = async (app: AppName): Promise<void> => {
      for (let k = 0; k < KILLS; k++) {
        const fraction = TOGETHER && app !== 'ingest' ? (sharedSchedule[k] ?? 0) : Math.random();
        const at = started + ((k + 0.2 + 0.7 * fraction) * streamMs) / KILLS;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
        const atAccepted = sender.acceptedCount;
        const atSeconds = (performance.now() - started) / 1_000;
        kills.push({ app, atAccepted, atSeconds, readyMs: await stack.crashAndRestart(app) });
      }
    };
    const [outcome] = await Promise.all([sender.send(events), ...APPS.map(killer)]);
    const lastFault = performance.now();

    const truth = truthOfAccepted(outcome.accepted);
    const sessionsCaughtUp = await stack.waitForSessions(truth, RECOVERY_MS).then(
      () => true,
      () => false,
    );
    const sessionsMs = performance.now() - lastFault;
    // What the recommender still had to drain once the feature was done.
    const lagAfterSessions = await stack.harness.lag('recommender', Topic.SessionFeatures);
    const sessions = await stack.compareSessions(truth);
    // The recommender drains after the feature, at its own pace: the same generous bound.
    const stale = await stack.waitForRecommendations(outcome.lastEventOf, RECOVERY_MS);
    const recoveryMs = performance.now() - lastFault;
    // Stale answers with fresh MongoDB lists point at a cache, stale MongoDB lists at the writes.
    const staleStored = await stack.staleStoredRecommendations(outcome.lastEventOf);
    const recommenderLag = await stack.harness.lag('recommender', Topic.SessionFeatures);
    const diagnosis = await diagnoseStale(
      stack.harness,
      outcome.lastEventOf,
      usersNamedIn([...stale, ...staleStored], outcome.lastEventOf),
    );

    const rows: ReportRow[] = APPS.map((app) => {
      const mine = kills.filter((kill) => kill.app === app);
      return {
        fault: `kill -9 ${app}`,
        injected: `${mine.length}x at ${mine.map((kill) => `${kill.atSeconds.toFixed(0)} s (${percent(kill.atAccepted, EVENTS)})`).join(', ')}`,
        observed: `restarted, ready after ${mine.map((kill) => (kill.readyMs / 1_000).toFixed(1)).join(', ')} s`,
      };
    });
    rows.push(
      {
        fault: 'clients',
        injected: `${EVENTS} events, ${USERS} users, ${RATE}/s`,
        observed: `${outcome.accepted.size} accepted (202); ${outcome.transportErrors} without answer, ${outcome.unavailable} x 503, ${outcome.retriedBatches} batches resent; unexpected ${outcome.unexpected.length}`,
      },
      {
        fault: 'session state',
        injected: 'after recovery',
        observed: `lost ${sessions.lost}, double counted ${sessions.doubleCounted} (${sessionsCaughtUp ? 'lag 0 after' : 'NOT caught up within'} ${(sessionsMs / 1_000).toFixed(1)} s)`,
      },
      {
        fault: 'recommendations',
        injected: `GET for ${outcome.lastEventOf.size} users (recommender lag ${lagAfterSessions} when sessions caught up)`,
        observed: `${stale.length} not as of the last event (${staleStored.length} in MongoDB); ${stale.length === 0 ? 'all caught up' : `NOT caught up (recommender lag ${recommenderLag}) within`} ${(recoveryMs / 1_000).toFixed(1)} s after the last fault`,
      },
      {
        fault: 'stale users',
        injected: 'where the last event went missing first',
        observed: JSON.stringify(diagnosis.byStage),
      },
    );
    for (const example of diagnosis.examples) process.stdout.write(`stale: ${example}\n`);
    reportChaos('crash', `events=${EVENTS} kills=${KILLS}/app rate=${RATE}/s`, rows);

    expect(outcome.unexpected).toEqual([]);
    expect(outcome.accepted.size).toBe(EVENTS);
    expect(kills).toHaveLength(KILLS * APPS.length);
    expect(sessionsCaughtUp).toBe(true);
    expectExactlyOnce({ sessions, stale });
  });
});

/** The users a list of stale-user lines names (each line carries `<userId>:`). */
function usersNamedIn(lines: readonly string[], users: ReadonlyMap<string, string>): string[] {
  return [...users.keys()].filter((userId) => lines.some((line) => line.includes(`${userId}:`)));
}
