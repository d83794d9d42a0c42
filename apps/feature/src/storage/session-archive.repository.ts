import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { type Model, type mongo } from 'mongoose';
import { SessionArchiveDocument } from './session-archive.schema';
import {
  SessionArchiveStore,
  type SessionSnapshot,
  SWEEP_INTERVAL_MS,
} from './session-archive.store';

export type { SessionSnapshot };

/** A `sessions` document as the driver sees it. */
interface StoredSession extends Omit<SessionSnapshot, 'sessionId'> {
  readonly _id: string;
  readonly expiresAt: Date;
}

/** The SessionArchiveStore port on MongoDB `sessions`. */
@Injectable()
export class SessionArchiveRepository extends SessionArchiveStore implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionArchiveRepository.name);
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @InjectModel(SessionArchiveDocument.name) private readonly model: Model<SessionArchiveDocument>,
    @InjectConfig() private readonly config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
  ) {
    super();
  }

  start(): Promise<'ttl' | 'sweeper-only'> {
    return this.ensureIndexes();
  }

  /** Served by `{ userId: 1, startedAt: -1 }`. */
  async forUser(userId: string): Promise<SessionSnapshot[]> {
    const docs = await (this.model.collection as unknown as mongo.Collection<StoredSession>)
      .find({ userId })
      .sort({ startedAt: -1 })
      .toArray();
    return docs.map(({ _id, expiresAt: _expiresAt, ...session }) => ({
      sessionId: _id,
      ...session,
    }));
  }

  /**
   * Creates the indexes and starts the retention sweeper. The TTL index lets MongoDB purge on its
   * own; the sweeper runs in any case, because some MongoDB-protocol servers refuse TTL indexes
   * (FerretDB) and others accept and silently ignore them (mongo-java-server), which cannot be
   * detected. On MongoDB it finds nothing left to delete.
   */
  async ensureIndexes(): Promise<'ttl' | 'sweeper-only'> {
    await this.model.createCollection().catch(() => undefined);
    await this.model.collection.createIndex(
      { userId: 1, startedAt: -1 },
      { name: 'userId_startedAt' },
    );
    let retention: 'ttl' | 'sweeper-only' = 'ttl';
    try {
      await this.model.collection.createIndex(
        { expiresAt: 1 },
        { name: 'expiresAt_ttl', expireAfterSeconds: 0 },
      );
    } catch (error) {
      this.logger.warn(
        `TTL index not supported by this server (${error instanceof Error ? error.message : String(error)}); ` +
          `expired sessions are purged by the sweeper only`,
      );
      await this.model.collection.createIndex({ expiresAt: 1 }, { name: 'expiresAt' });
      retention = 'sweeper-only';
    }
    this.sweeper = setInterval(() => {
      this.sweep().catch((sweepError: unknown) =>
        this.logger.warn(`session sweep failed: ${String(sweepError)}`),
      );
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    return retention;
  }

  /** Deletes sessions past retention; the range query is served by `{ expiresAt: 1 }`. */
  async sweep(): Promise<number> {
    const result = await this.model
      .deleteMany({ expiresAt: { $lt: new Date(this.clock()) } })
      .exec();
    return result.deletedCount;
  }

  /**
   * Upserts snapshots by sessionId: replays rewrite the same documents. Whole-document
   * replacements through the driver: every field is derived from the state, and skipping
   * mongoose's casting of plain data saves CPU on the hot path.
   */
  async upsertMany(sessions: readonly SessionSnapshot[]): Promise<void> {
    if (sessions.length === 0) return;
    const retentionMs = this.config.sessions.retentionMs;
    const collection = this.model.collection as unknown as mongo.Collection<StoredSession>;
    await collection.bulkWrite(
      sessions.map(({ sessionId, ...session }) => ({
        replaceOne: {
          filter: { _id: sessionId },
          replacement: {
            ...session,
            countsByType: { ...session.countsByType },
            expiresAt: new Date(session.lastEventAt + retentionMs),
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  onApplicationShutdown(): void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
  }
}
