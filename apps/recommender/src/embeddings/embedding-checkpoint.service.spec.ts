import { type KairosConfig, loadConfig } from '@kairos/config';
import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate } from '@kairos/recsys';
import { Registry } from 'prom-client';
import { type EngineService, type ServingEngine } from '../engine/engine.service';
import { RecommenderMetrics } from '../recommender.metrics';
import { EmbeddingCheckpointService } from './embedding-checkpoint.service';
import { type EmbeddingReplicationService } from './embedding-replication.service';
import { EmbeddingStore, type UserVectorUpdate } from './embedding.store';

const MODEL_A: ModelRef = { name: 'm', version: '1' };
const MODEL_B: ModelRef = { name: 'm', version: '2' };

/** The engine's live state as the checkpoint reads it: rows and user vectors that keep changing. */
class LiveState {
  readonly rows = new Map<string, ItemRowUpdate>();
  readonly users = new Map<string, Float32Array>();

  learn(itemId: string, value: number): void {
    const version = (this.rows.get(itemId)?.version ?? 0) + 1;
    this.rows.set(itemId, { itemId, version, vector: Float32Array.of(value, value) });
  }
}

/** Records what reached storage; fails the next `failures` writes like a database outage. */
class RecordingStore extends EmbeddingStore {
  readonly rowWrites: ItemRowUpdate[][] = [];
  /** 'full' or 'append', per entry of rowWrites. */
  readonly writeKinds: string[] = [];
  readonly userWrites: string[][] = [];
  failures = 0;

  appendRows(rows: readonly ItemRowUpdate[]): Promise<void> {
    return this.record('append', rows);
  }
  replaceAllRows(rows: readonly ItemRowUpdate[]): Promise<void> {
    return this.record('full', rows);
  }
  private record(kind: string, rows: readonly ItemRowUpdate[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('storage down'));
    }
    this.rowWrites.push(rows.map((row) => ({ ...row, vector: row.vector.slice() })));
    this.writeKinds.push(kind);
    return Promise.resolve();
  }
  // eslint-disable-next-line require-yield -- nothing stored to read back in these tests
  async *rowsOf(): AsyncGenerator<ItemRowUpdate> {
    await Promise.resolve();
  }
  /** Each user vector as the store took it, in order of writing. */
  readonly userValues: Array<[string, number[]]> = [];
  /** Called as the store takes each user vector (the way a chunked write goes through them). */
  onUserTaken: (userId: string) => void = () => undefined;
  saveUsers(vectors: Iterable<UserVectorUpdate>): Promise<void> {
    const ids: string[] = [];
    for (const { userId, vector } of vectors) {
      ids.push(userId);
      this.userValues.push([userId, Array.from(vector)]);
      this.onUserTaken(userId);
    }
    this.userWrites.push(ids);
    return Promise.resolve();
  }
  usersOf(): Promise<Map<string, Float32Array>> {
    return Promise.resolve(new Map<string, Float32Array>());
  }
}

function setUp(intervalMs: number) {
  const live = new LiveState();
  let model = MODEL_A;
  const engine = {
    exportRows: (ids: readonly string[]) => ids.map((id) => live.rows.get(id)!),
    learnedItemIds: () => [...live.rows.keys()],
    userEmbedding: (id: string) => live.users.get(id),
    get modelVersion() {
      return `${model.name}/${model.version}`;
    },
  };
  const engines = {
    current: (): ServingEngine => ({ engine, model }) as unknown as ServingEngine,
  } as unknown as EngineService;
  const published: string[][] = [];
  const replication = {
    publish: (rows: readonly ItemRowUpdate[]) => {
      published.push(rows.map((row) => row.itemId));
      return Promise.resolve();
    },
  } as unknown as EmbeddingReplicationService;
  const store = new RecordingStore();
  const config: KairosConfig = loadConfig('embedded', {
    KAIROS_MODE: 'embedded',
    EMBEDDING_CHECKPOINT_INTERVAL_MS: String(intervalMs),
  });
  const checkpoint = new EmbeddingCheckpointService(
    engines,
    store,
    replication,
    new RecommenderMetrics(new Registry()),
    config,
    () => 1_000,
  );
  return {
    live,
    store,
    published,
    checkpoint,
    serve: (next: ModelRef) => (model = next),
  };
}

describe('EmbeddingCheckpointService', () => {
  it('writes each changed row once per checkpoint, with its latest value, and nothing before', async () => {
    const { live, store, published, checkpoint } = setUp(60_000);
    live.learn('a', 1);
    await checkpoint.changed(MODEL_A, ['a'], ['u1']);
    live.learn('a', 2);
    live.learn('b', 3);
    live.users.set('u1', Float32Array.of(1, 1));
    await checkpoint.changed(MODEL_A, ['a', 'b'], ['u1']);
    expect(store.rowWrites).toEqual([]);

    await checkpoint.flush();
    expect(store.rowWrites).toHaveLength(1);
    expect(store.rowWrites[0]?.map((row) => [row.itemId, row.version, row.vector[0]])).toEqual([
      ['a', 2, 2],
      ['b', 1, 3],
    ]);
    expect(store.userWrites).toEqual([['u1']]);
    expect(published).toEqual([['a', 'b']]);

    await checkpoint.flush();
    expect(store.rowWrites).toHaveLength(1);
  });

  it('reads each user vector as the store takes it, so a long write holds one chunk, not all', async () => {
    const { live, store, checkpoint } = setUp(60_000);
    live.users.set('u1', Float32Array.of(1, 1));
    live.users.set('u2', Float32Array.of(2, 2));
    await checkpoint.changed(MODEL_A, [], ['u1', 'u2', 'gone']);
    // u2 learns again while the store is still writing u1's chunk: the newer vector is written.
    store.onUserTaken = (userId) => {
      if (userId === 'u1') live.users.set('u2', Float32Array.of(5, 5));
    };
    await checkpoint.flush();
    expect(store.userValues).toEqual([
      ['u1', [1, 1]],
      ['u2', [5, 5]],
    ]);
  });

  it('stops writing user vectors of a model once another one serves (they restart in its space)', async () => {
    const { live, store, checkpoint, serve } = setUp(60_000);
    live.users.set('u1', Float32Array.of(1, 1));
    live.users.set('u2', Float32Array.of(2, 2));
    await checkpoint.changed(MODEL_A, [], ['u1', 'u2']);
    store.onUserTaken = (userId) => {
      if (userId !== 'u1') return;
      serve(MODEL_B);
      live.users.set('u2', Float32Array.of(7, 7)); // learned in model B's space
    };
    await checkpoint.flush();
    expect(store.userValues).toEqual([['u1', [1, 1]]]);
  });

  it('appends changed rows, and writes all learned rows once the appends add up to the table', async () => {
    const { live, store, checkpoint } = setUp(60_000);
    for (const id of ['a', 'b', 'c', 'd']) live.learn(id, 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    await checkpoint.flush(); // the first write of a replica is a full one (it compacts)
    live.learn('a', 2);
    await checkpoint.changed(MODEL_A, ['a'], []);
    await checkpoint.flush();
    live.learn('b', 2);
    live.learn('c', 2);
    await checkpoint.changed(MODEL_A, ['b', 'c'], []);
    await checkpoint.flush();
    live.learn('d', 2);
    await checkpoint.changed(MODEL_A, ['d'], []); // 1 + 2 + 1 appended rows: 4 learned rows
    await checkpoint.flush();

    expect(store.writeKinds).toEqual(['full', 'append', 'append', 'full']);
    const ids = store.rowWrites.map((rows) => rows.map((row) => row.itemId));
    expect(ids).toEqual([['a', 'b', 'c', 'd'], ['a'], ['b', 'c'], ['a', 'b', 'c', 'd']]);
    expect(store.rowWrites[3]?.map((row) => row.version)).toEqual([2, 2, 2, 2]);
  });

  it('starts over with a full write when a new model serves', async () => {
    const { live, store, checkpoint, serve } = setUp(60_000);
    live.learn('a', 1);
    live.learn('b', 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    await checkpoint.flush();
    serve(MODEL_B);
    await checkpoint.changed(MODEL_B, ['b'], []);
    await checkpoint.flush();
    expect(store.writeKinds).toEqual(['full', 'full']);
  });

  it('keeps the rows of a failed checkpoint for the next one', async () => {
    const { live, store, checkpoint } = setUp(60_000);
    live.learn('a', 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    store.failures = 1;
    await expect(checkpoint.flush()).rejects.toThrow('storage down');
    live.learn('b', 2);
    await checkpoint.changed(MODEL_A, ['b'], []);

    await checkpoint.flush();
    expect(store.rowWrites.map((rows) => rows.map((row) => row.itemId).sort())).toEqual([
      ['a', 'b'],
    ]);
  });

  it('drops rows learned for a model that no longer serves', async () => {
    const { live, store, checkpoint, serve } = setUp(60_000);
    live.learn('a', 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    serve(MODEL_B);
    await checkpoint.flush();
    expect(store.rowWrites).toEqual([]);
  });

  it('with interval 0, resolves only once the batch rows are written', async () => {
    const { live, store, checkpoint } = setUp(0);
    live.learn('a', 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    expect(store.rowWrites.map((rows) => rows.map((row) => row.itemId))).toEqual([['a']]);
  });

  it('writes what is pending when the app shuts down', async () => {
    const { live, store, checkpoint } = setUp(60_000);
    checkpoint.onModuleInit();
    live.learn('a', 1);
    await checkpoint.changed(MODEL_A, ['a'], []);
    await checkpoint.onApplicationShutdown();
    expect(store.rowWrites).toHaveLength(1);
  });
});
