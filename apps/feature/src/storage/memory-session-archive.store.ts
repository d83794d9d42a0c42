import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { type SnapshotParticipant, StateSnapshots } from '@kairos/storage';
import {
  SessionArchiveStore,
  type SessionSnapshot,
  SWEEP_INTERVAL_MS,
} from './session-archive.store';

interface Entry {
  readonly session: SessionSnapshot;
  readonly expiresAt: number;
}

/** The session archive in memory (embedded mode), purged by the same sweeper rule as MongoDB. */
@Injectable()
export class MemorySessionArchiveStore
  extends SessionArchiveStore
  implements SnapshotParticipant, OnApplicationShutdown
{
  readonly snapshotKey = 'feature.sessions';
  private entries = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    snapshots: StateSnapshots,
    @InjectConfig() private readonly config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
  ) {
    super();
    snapshots.register(this);
  }

  start(): Promise<'sweeper-only'> {
    this.sweeper ??= setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    return Promise.resolve('sweeper-only');
  }

  upsertMany(sessions: readonly SessionSnapshot[]): Promise<void> {
    for (const session of sessions) {
      this.entries.set(session.sessionId, {
        session: structuredClone(session),
        expiresAt: session.lastEventAt + this.config.sessions.retentionMs,
      });
    }
    return Promise.resolve();
  }

  forUser(userId: string): Promise<SessionSnapshot[]> {
    const sessions = [...this.entries.values()]
      .filter((entry) => entry.session.userId === userId)
      .map((entry) => structuredClone(entry.session))
      .sort((a, b) => b.startedAt - a.startedAt);
    return Promise.resolve(sessions);
  }

  sweep(): Promise<number> {
    const now = this.clock();
    let deleted = 0;
    for (const [sessionId, entry] of this.entries) {
      if (entry.expiresAt < now) {
        this.entries.delete(sessionId);
        deleted++;
      }
    }
    return Promise.resolve(deleted);
  }

  dump(): unknown {
    return [...this.entries];
  }

  restore(data: unknown): void {
    this.entries = new Map(data as Array<[string, Entry]>);
  }

  onApplicationShutdown(): void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
  }
}
