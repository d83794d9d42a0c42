import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { eventually } from '../support/infra';
import { startSystemProcesses, type SystemProcesses } from '../support/system';

const PORT = 3765;
const USERS = Array.from({ length: 12 }, (_, i) => `restart-user-${i}`);

interface SessionBody {
  lastEventId: string | null;
  profile: { totalEvents: number };
}

/**
 * The embedded data-directory guarantee: after kill -9 (no shutdown hook, no final snapshot)
 * and a restart on the same directory, every event that got a 202 is reflected exactly once.
 */
describe('embedded mode survives kill -9 without losing or double counting accepted events', () => {
  jest.setTimeout(180_000);
  let system: SystemProcesses;
  let current: AppProcess;
  /** Accepted events per user, in order. */
  const accepted = new Map<string, string[]>(USERS.map((user) => [user, []]));

  beforeAll(async () => {
    system = await startSystemProcesses(
      'embedded',
      'restart',
      {
        KAIROS_SNAPSHOT_INTERVAL_MS: '500',
        KAIROS_DEMO_CATALOG: resolve(__dirname, '../../demo/catalog.jsonl'),
      },
      PORT,
    );
    current = system.processes[0]!;
  });

  afterAll(async () => {
    await current?.stop();
    await system?.close();
  });

  const base = () => `http://127.0.0.1:${PORT}`;

  async function postBatch(round: number, perUser: number): Promise<void> {
    const events = USERS.flatMap((userId) =>
      Array.from({ length: perUser }, (_, n) => ({
        userId,
        itemId: `item-${String(((round * 37 + n * 11) % 1500) + 1).padStart(5, '0')}`,
        type: n % 3 === 0 ? 'view' : 'click',
      })),
    );
    const response = await fetch(`${base()}/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      results: Array<{ index: number; eventId: string | null; status: string }>;
    };
    for (const result of body.results) {
      expect(result.status).toBe('accepted');
      accepted.get(events[result.index]!.userId)!.push(result.eventId!);
    }
  }

  async function session(userId: string): Promise<SessionBody | undefined> {
    const response = await fetch(`${base()}/v1/users/${userId}/session`).catch(() => null);
    return response?.status === 200 ? ((await response.json()) as SessionBody) : undefined;
  }

  /** Every user's session counts exactly its accepted events and ends at the last one. */
  async function expectExactlyOnce(): Promise<void> {
    for (const userId of USERS) {
      const ids = accepted.get(userId)!;
      const body = await eventually(
        async () => {
          const state = await session(userId);
          return state?.lastEventId === ids.at(-1) ? state : undefined;
        },
        { timeoutMs: 60_000, what: `${userId} to reflect its last accepted event` },
      );
      expect(body.profile.totalEvents).toBe(ids.length);
    }
  }

  it('replays what the last snapshot did not cover, exactly once', async () => {
    await postBatch(0, 10);
    await expectExactlyOnce();
    // A snapshot taken after that state: the restart restores it and replays only what follows.
    const snapshotFile = join(system.env.KAIROS_DATA_DIR!, 'state', 'snapshot.json');
    const processedAt = Date.now();
    await eventually(
      () =>
        existsSync(snapshotFile) &&
        (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { takenAt: number }).takenAt >
          processedAt
          ? true
          : undefined,
      { what: 'a state snapshot after the first round' },
    );
    await postBatch(1, 15);
    await postBatch(2, 5);
    await current.crash();

    current = await startAppProcess('embedded', system.env, PORT);
    await expectExactlyOnce();
    // The catalog was published once, at the first start, and rebuilt from the log since.
    expect((await fetch(`${base()}/v1/items/item-00001`)).status).toBe(200);
  });

  it('refuses a second process on the same data directory', async () => {
    await expect(startAppProcess('embedded', system.env, PORT + 1)).rejects.toThrow(
      /in use by process/,
    );
  });

  it('keeps everything across a graceful restart too, and serves the last recommendation', async () => {
    await postBatch(3, 4);
    await expectExactlyOnce();
    await current.stop();
    current = await startAppProcess('embedded', system.env, PORT);
    await expectExactlyOnce();
    const userId = USERS[0]!;
    const list = await eventually(
      async () => {
        const response = await fetch(`${base()}/v1/recommendations/${userId}`);
        const body = (await response.json()) as { asOfEventId: string | null; source: string };
        return body.asOfEventId === accepted.get(userId)!.at(-1) ? body : undefined;
      },
      { what: 'the recommendation as of the last event' },
    );
    expect(list.source).toBe('precomputed');
  });
});
