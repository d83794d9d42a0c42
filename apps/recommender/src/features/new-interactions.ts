import { type SessionFeaturesRecord } from '@kairos/contracts';
import { type Interaction, setMostRecent } from '@kairos/recsys';

/** Users whose last observed event time is remembered; older entries are forgotten first. */
const TRACKED_USERS = 500_000;

/**
 * Turns `session-features` snapshots into the interactions the engine has not learned yet.
 * Each snapshot carries the user's whole recent window; the events after the last one this
 * replica observed are new. A user seen for the first time (new user, restart, rebalance) gets
 * the whole window, which rebuilds the engine's history for them.
 */
export class NewInteractions {
  private readonly lastObserved = new Map<string, number>();

  extract(records: readonly SessionFeaturesRecord[]): Interaction[] {
    const fresh: Interaction[] = [];
    for (const record of records) {
      const since = this.lastObserved.get(record.userId) ?? -1;
      let latest = since;
      for (const event of record.window?.events ?? []) {
        if (event.timestamp <= since) continue;
        fresh.push({
          userId: record.userId,
          itemId: event.itemId,
          type: event.type,
          timestamp: event.timestamp,
        });
        latest = Math.max(latest, event.timestamp);
      }
      this.remember(record.userId, latest);
    }
    // Learn in event time across users, as the stream happened.
    return fresh.sort((a, b) => a.timestamp - b.timestamp);
  }

  private remember(userId: string, timestamp: number): void {
    setMostRecent(this.lastObserved, userId, timestamp, TRACKED_USERS);
  }
}
