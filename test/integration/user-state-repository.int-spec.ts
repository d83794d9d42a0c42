import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConfigModule, loadConfig } from '@kairos/config';
import { StorageModule } from '@kairos/storage';
import { type UserEventMessage } from '@kairos/contracts';
import { applyEvents, DEFAULT_SESSION_RULES } from '../../apps/feature/src/sessions/session-window';
import { SessionArchiveRepository } from '../../apps/feature/src/storage/session-archive.repository';
import {
  SessionArchiveDocument,
  SessionArchiveSchema,
} from '../../apps/feature/src/storage/session-archive.schema';
import { UserStateRepository } from '../../apps/feature/src/storage/user-state.repository';
import {
  UserStateDocument,
  UserStateSchema,
} from '../../apps/feature/src/storage/user-state.schema';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../support/infra';

@Module({
  imports: [
    StorageModule,
    MongooseModule.forFeature([
      { name: UserStateDocument.name, schema: UserStateSchema },
      { name: SessionArchiveDocument.name, schema: SessionArchiveSchema },
    ]),
  ],
  providers: [UserStateRepository, SessionArchiveRepository],
})
class RepositoryModule {}

function event(userId: string, n: number): UserEventMessage {
  const timestamp = Date.parse('2026-11-22T10:00:00Z') + n * 1_000;
  return {
    eventId: `${userId}-${n}`,
    userId,
    itemId: `item.${n}`,
    type: 'click',
    timestamp,
    receivedAt: timestamp,
  };
}

function stateAfter(userId: string, offsets: readonly number[]) {
  return applyEvents(
    null,
    userId,
    offsets.map((n) => ({ message: event(userId, n), partition: 0, offset: String(n) })),
    DEFAULT_SESSION_RULES,
  ).state;
}

describeWithInfra(
  'UserStateRepository optimistic concurrency on the MongoDB-protocol server',
  ['mongo'],
  () => {
    let app: INestApplication;
    let repository: UserStateRepository;

    beforeAll(async () => {
      const uri = new URL(requireEnv('MONGODB_URI'));
      uri.pathname = `/${uniqueTestPrefix('repo').replace(/[^A-Za-z0-9]/g, '_')}`;
      const config = loadConfig('feature', {
        KAFKA_BROKERS: 'unused:9092',
        MONGODB_URI: uri.toString(),
        KAIROS_AUTH: 'off',
        SESSION_RETENTION_MS: String(24 * 3_600_000),
      });
      // The clock is pinned: "now" is 2026-11-22T12:00Z for the retention sweep.
      @Module({
        imports: [
          ConfigModule.forRoot(config, () => Date.parse('2026-11-22T12:00:00Z')),
          RepositoryModule,
        ],
      })
      class Root {}
      app = await NestFactory.create(Root, { logger: ['error'] });
      await app.init();
      repository = app.get(UserStateRepository);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('round-trips a state, ids with dots included, as plain data', async () => {
      const state = stateAfter('alice', [1, 2, 3]);
      expect(await repository.saveMany([{ state, version: 0 }], Date.now())).toEqual([]);
      const loaded = await repository.loadMany(['alice', 'nobody']);
      expect(loaded.get('alice')?.version).toBe(1);
      expect(loaded.get('alice')?.state).toEqual(state);
      expect(loaded.has('nobody')).toBe(false);
      expect(Object.keys(loaded.get('alice')?.state.profile.itemAffinities ?? {})).toEqual(
        expect.arrayContaining(['item.1', 'item.2', 'item.3']),
      );
    });

    it('lets exactly one of two writers from the same version win; the loser is told', async () => {
      const base = (await repository.loadMany(['alice'])).get('alice');
      if (base === undefined) throw new Error('alice missing');
      const first = await repository.saveMany(
        [{ state: stateAfter('alice', [1, 2, 3, 4]), version: base.version }],
        Date.now(),
      );
      const second = await repository.saveMany(
        [{ state: stateAfter('alice', [1, 2, 3, 5]), version: base.version }],
        Date.now(),
      );
      expect(first).toEqual([]);
      expect(second).toEqual(['alice']);
      const stored = (await repository.loadMany(['alice'])).get('alice');
      expect(stored?.version).toBe(base.version + 1);
      expect(stored?.state.lastEventId).toBe('alice-4');
    });

    it('reports a lost race on a first write (two inserts of a new user) and keeps the others', async () => {
      expect(
        await repository.saveMany([{ state: stateAfter('bob', [1]), version: 0 }], Date.now()),
      ).toEqual([]);
      const lost = await repository.saveMany(
        [
          { state: stateAfter('bob', [2]), version: 0 },
          { state: stateAfter('carol', [1]), version: 0 },
        ],
        Date.now(),
      );
      expect(lost).toEqual(['bob']);
      const stored = await repository.loadMany(['bob', 'carol']);
      expect(stored.get('bob')?.state.lastEventId).toBe('bob-1');
      expect(stored.get('carol')?.state.lastEventId).toBe('carol-1');
    });

    it('purges sessions past retention with the sweeper and keeps the others', async () => {
      const archive = app.get(SessionArchiveRepository);
      await archive.ensureIndexes();
      const now = Date.parse('2026-11-22T12:00:00Z');
      const session = (sessionId: string, lastEventAt: number) => ({
        sessionId,
        userId: 'dave',
        startedAt: lastEventAt - 60_000,
        lastEventAt,
        closed: true,
        eventCount: 1,
        countsByType: { view: 1 },
        distinctItems: 1,
      });
      await archive.upsertMany([
        session('old', now - 25 * 3_600_000),
        session('recent', now - 23 * 3_600_000),
      ]);
      expect(await archive.sweep()).toBe(1);
      expect(await archive.sweep()).toBe(0);
      archive.onApplicationShutdown();
    });
  },
);
