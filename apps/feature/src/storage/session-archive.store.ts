import { type CountsByType } from '../sessions/user-state';

/** What is archived of a session, current or closed. */
export interface SessionSnapshot {
  readonly sessionId: string;
  readonly userId: string;
  readonly startedAt: number;
  readonly lastEventAt: number;
  readonly closed: boolean;
  readonly eventCount: number;
  readonly countsByType: CountsByType;
  readonly distinctItems: number;
}

/**
 * Port: the session archive, upserted by sessionId (replays rewrite the same entry) and purged
 * after the retention period. Adapters: MongoDB `sessions` (SessionArchiveRepository) and memory.
 */
export abstract class SessionArchiveStore {
  /** Prepares storage (indexes) and starts the retention sweeper. */
  abstract start(): Promise<unknown>;
  abstract upsertMany(sessions: readonly SessionSnapshot[]): Promise<void>;
  /** A user's archived sessions, newest first. */
  abstract forUser(userId: string): Promise<SessionSnapshot[]>;
  /** Deletes sessions past retention; returns how many. */
  abstract sweep(): Promise<number>;
}

/** How often the sweeper deletes expired sessions. */
export const SWEEP_INTERVAL_MS = 60_000;
