import { type ChaosStack, type Discrepancy } from './chaos-stack';
import { type SendOutcome, truthOfAccepted } from './resilient-sender';

/** What a scenario found once its faults were over, against what the clients got accepted. */
export interface ExactCounts {
  readonly sessions: Discrepancy;
  /** Users whose served list is not as of their last accepted event. */
  readonly stale: readonly string[];
  /** Both consumer groups' lag at the end; left out by scenarios that do not wait for it. */
  readonly lag?: number;
}

export interface SettledPipeline extends ExactCounts {
  readonly lag: number;
  /** performance.now() when session state held the truth (or its wait timed out). */
  readonly sessionsSettledAt: number;
  /** performance.now() when every list was as of its user's last event (or the wait timed out). */
  readonly recommendationsSettledAt: number;
}

/**
 * Lets the pipeline catch up on what the clients got accepted, then counts: session state
 * against the truth, lists not as of the last event, lag. A wait that times out is not an error
 * here; the counts then say what is wrong, and expectExactlyOnce fails on them.
 */
export async function settleAndCount(
  stack: ChaosStack,
  outcome: Pick<SendOutcome, 'accepted' | 'lastEventOf'>,
): Promise<SettledPipeline> {
  const truth = truthOfAccepted(outcome.accepted);
  await stack.waitForSessions(truth, 5 * 60_000).catch(() => undefined);
  const sessionsSettledAt = performance.now();
  const sessions = await stack.compareSessions(truth);
  const stale = await stack.waitForRecommendations(outcome.lastEventOf, 3 * 60_000);
  const recommendationsSettledAt = performance.now();
  const lag = await stack.totalLag();
  return { sessions, stale, lag, sessionsSettledAt, recommendationsSettledAt };
}

/** The counts as the chaos tables print them: "lost 0, double counted 0, stale ... 0, lag 0". */
export function describeExactCounts({ sessions, stale, lag }: ExactCounts): string {
  const counts = `lost ${sessions.lost}, double counted ${sessions.doubleCounted}, stale recommendations ${stale.length}`;
  return lag === undefined ? counts : `${counts}, lag ${lag}`;
}

/**
 * Every accepted event counted exactly once, every list as of its user's last event and (when
 * measured) nothing left to consume. Mismatch examples first: they say which user went wrong.
 */
export function expectExactlyOnce({ sessions, stale, lag }: ExactCounts): void {
  expect(sessions.examples).toEqual([]);
  expect({ lost: sessions.lost, doubleCounted: sessions.doubleCounted }).toEqual({
    lost: 0,
    doubleCounted: 0,
  });
  expect(stale.slice(0, 5)).toEqual([]);
  if (lag !== undefined) expect(lag).toBe(0);
}
