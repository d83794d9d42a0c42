import { type UserEventMessage } from '@kairos/contracts';
import { applyEvents, DEFAULT_SESSION_RULES } from '../../apps/feature/src/sessions/session-window';
import { FeatureStorageModule } from '../../apps/feature/src/storage/feature-storage.module';
import { SessionArchiveStore } from '../../apps/feature/src/storage/session-archive.store';
import { UserStateStore } from '../../apps/feature/src/storage/user-state.store';
import { bootStorage, type StorageUnderTest } from '../support/storage-modes';
import { describeEachMode } from '../support/system';

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

/**
 * One spec body for both adapters of the feature's repository ports: MongoDB (the real
 * MongoDB-protocol server) and memory (embedded mode) must answer the same.
 */
describeEachMode(
  'feature repositories: optimistic concurrency, round trips, retention',
  (mode) => {
    let stores: StorageUnderTest;
    let repository: UserStateStore;

    beforeAll(async () => {
      // The clock is pinned: "now" is 2026-11-22T12:00Z for the retention sweep.
      stores = await bootStorage(
        mode,
        (config) => FeatureStorageModule.forRoot(config),
        { SESSION_RETENTION_MS: String(24 * 3_600_000) },
        () => Date.parse('2026-11-22T12:00:00Z'),
      );
      repository = stores.get(UserStateStore);
    });

    afterAll(async () => {
      await stores?.close();
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
      const archive = stores.get(SessionArchiveStore);
      await archive.start();
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
      expect(await archive.forUser('dave')).toEqual([
        session('recent', now - 23 * 3_600_000),
        session('old', now - 25 * 3_600_000),
      ]);
      expect(await archive.sweep()).toBe(1);
      expect(await archive.sweep()).toBe(0);
      expect((await archive.forUser('dave')).map((s) => s.sessionId)).toEqual(['recent']);
    });

    it('returns fresh copies: mutating what was saved or loaded changes nothing stored', async () => {
      const state = stateAfter('erin', [1, 2]);
      await repository.saveMany([{ state, version: 0 }], Date.now());
      (state.profile.totalsByType as Record<string, number>).click = 99;
      const loaded = await repository.findOne('erin');
      expect(loaded?.profile.totalsByType.click).toBe(2);
      (loaded!.recentEventIds as string[]).push('tampered');
      expect((await repository.findOne('erin'))?.recentEventIds).not.toContain('tampered');
      expect(await repository.findOne('nobody')).toBeNull();
    });

    it("lists a user's archived sessions newest first", async () => {
      const archive = stores.get(SessionArchiveStore);
      const now = Date.parse('2026-11-22T12:00:00Z');
      const base = { userId: 'frank', closed: false, eventCount: 2, countsByType: { click: 2 } };
      await archive.upsertMany([
        {
          ...base,
          sessionId: 'frank:1',
          startedAt: now - 3_000,
          lastEventAt: now - 2_000,
          distinctItems: 1,
        },
        {
          ...base,
          sessionId: 'frank:2',
          startedAt: now - 1_000,
          lastEventAt: now,
          distinctItems: 2,
        },
      ]);
      await archive.upsertMany([
        {
          ...base,
          sessionId: 'frank:1',
          startedAt: now - 3_000,
          lastEventAt: now - 1_500,
          distinctItems: 1,
          closed: true,
        },
      ]);
      const sessions = await archive.forUser('frank');
      expect(sessions.map((s) => [s.sessionId, s.closed, s.lastEventAt])).toEqual([
        ['frank:2', false, now],
        ['frank:1', true, now - 1_500],
      ]);
    });
  },
  ['mongo'],
);
