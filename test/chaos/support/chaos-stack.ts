import { resolve } from 'node:path';
import { type AppName } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import { type AppProcess, startAppProcess } from '../../support/app-process';
import { type UserTruth } from '../../support/click-stream';
import { FeatureHarness, mismatches } from '../../support/feature-harness';
import { eventually } from '../../support/infra';
import { chaosSetting } from './chaos-report';

/**
 * HTTP ports this suite may use (50 from CHAOS_FIRST_PORT, so runs on a shared machine can keep
 * apart): ingest keeps the first, so clients find it after a restart.
 */
const FIRST_PORT = chaosSetting('FIRST_PORT', 3850);
const PORT_RANGE = { first: FIRST_PORT, last: FIRST_PORT + 49 } as const;

export interface Discrepancy {
  /** Accepted events missing from session state. */
  readonly lost: number;
  /** Events counted more than once, or counted without having been accepted. */
  readonly doubleCounted: number;
  readonly examples: readonly string[];
}

/**
 * The three apps as separate processes on one private prefix and database, as deployed, with
 * ways to crash, restart and scale them, and to read what they made of the stream.
 */
export class ChaosStack {
  readonly harness: FeatureHarness;
  private readonly running = new Map<AppName, AppProcess[]>();
  private readonly freePorts: number[] = [];

  constructor(
    label: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {
    this.harness = new FeatureHarness(label);
    for (let port = PORT_RANGE.first + 1; port <= PORT_RANGE.last; port++)
      this.freePorts.push(port);
  }

  get env(): Record<string, string> {
    return {
      ...this.harness.appEnv,
      // The broker's smallest allowed session: a killed consumer's partitions move on soonest.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      MODEL_DIR: resolve(__dirname, '../../../models'),
      ...this.extraEnv,
    };
  }

  ingestUrl = (): string => `http://127.0.0.1:${PORT_RANGE.first}`;

  /** Instances that exited without being told to: a pipeline that needs manual restarts. */
  exited(): string[] {
    return [...this.running].flatMap(([app, instances]) =>
      instances
        .filter((instance) => instance.child.exitCode !== null)
        .map(
          (instance) =>
            `${app} exited with ${instance.child.exitCode}: ${instance.output.join('').slice(-500)}`,
        ),
    );
  }

  instances(app: AppName): readonly AppProcess[] {
    return this.running.get(app) ?? [];
  }

  async start(apps: readonly AppName[] = ['ingest', 'feature', 'recommender']): Promise<void> {
    await this.harness.start();
    for (const app of apps) await this.launch(app);
  }

  async launch(app: AppName): Promise<AppProcess> {
    const port = app === 'ingest' ? PORT_RANGE.first : this.freePorts.shift();
    if (port === undefined)
      throw new Error(`no free port left in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
    const instance = await startAppProcess(app, this.env, port);
    this.running.set(app, [...this.instances(app), instance]);
    return instance;
  }

  /** kill -9 of one instance (the oldest), then a new one; returns ms until it was ready. */
  async crashAndRestart(app: AppName): Promise<number> {
    await this.retire(app, 'crash');
    const started = performance.now();
    await this.launch(app);
    return performance.now() - started;
  }

  /** Adds or gracefully stops instances until `count` run. */
  async scale(app: AppName, count: number): Promise<void> {
    while (this.instances(app).length < count) await this.launch(app);
    while (this.instances(app).length > count) await this.retire(app, 'stop');
  }

  /** Stops every instance, even after one fails to stop, then reports all that failed. */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    for (const app of this.running.keys()) {
      while (this.instances(app).length > 0)
        await this.retire(app, 'stop').catch((error: unknown) => failures.push(error));
    }
    await this.harness.stop().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, failures.map(String).join('\n'));
  }

  /** Session state against the ground truth, per user (totals and counts per type). */
  async compareSessions(truth: ReadonlyMap<string, UserTruth>): Promise<Discrepancy> {
    const stored = await this.harness.storedTotals();
    let lost = 0;
    let doubleCounted = 0;
    for (const userId of new Set([...truth.keys(), ...stored.keys()])) {
      const expected = truth.get(userId)?.total ?? 0;
      const actual = stored.get(userId)?.total ?? 0;
      lost += Math.max(0, expected - actual);
      doubleCounted += Math.max(0, actual - expected);
    }
    return { lost, doubleCounted, examples: mismatches(truth, stored).slice(0, 5) };
  }

  /** Waits for the feature group to commit everything and session state to hold the truth. */
  async waitForSessions(truth: ReadonlyMap<string, UserTruth>, timeoutMs: number): Promise<void> {
    await this.harness.waitUntilCaughtUp(truth, timeoutMs);
  }

  /**
   * Users whose served recommendations are not as of their last accepted event, asked of every
   * recommender instance (each may answer from its own cache).
   */
  async staleRecommendations(lastEventOf: ReadonlyMap<string, string>): Promise<string[]> {
    const recommenders = this.instances('recommender');
    if (recommenders.length === 0) throw new Error('no recommender running');
    const stale: string[] = [];
    const users = [...lastEventOf];
    for (const [index, recommender] of recommenders.entries()) {
      for (let start = 0; start < users.length; start += 25) {
        await Promise.all(
          users.slice(start, start + 25).map(async ([userId, lastEventId]) => {
            const response = await fetch(
              `${recommender.baseUrl}/v1/recommendations/${encodeURIComponent(userId)}?k=10`,
            );
            const body = (await response.json()) as {
              asOfEventId?: string | null;
              items?: unknown[];
            };
            if (
              response.status !== 200 ||
              body.asOfEventId !== lastEventId ||
              !body.items?.length
            ) {
              stale.push(
                `recommender ${index}, ${userId}: HTTP ${response.status}, as of ${body.asOfEventId}, last ${lastEventId}`,
              );
            }
          }),
        );
      }
    }
    return stale;
  }

  /** Users whose list in MongoDB `recommendations` is not as of their last accepted event. */
  async staleStoredRecommendations(lastEventOf: ReadonlyMap<string, string>): Promise<string[]> {
    const docs = await this.harness.db
      .collection<{ _id: string; asOfEventId: string | null }>('recommendations')
      .find({}, { projection: { _id: 1, asOfEventId: 1 } })
      .toArray();
    const stored = new Map(docs.map((doc) => [doc._id, doc.asOfEventId]));
    return [...lastEventOf]
      .filter(([userId, lastEventId]) => stored.get(userId) !== lastEventId)
      .map(
        ([userId, lastEventId]) =>
          `${userId}: stored as of ${stored.get(userId)}, last ${lastEventId}`,
      );
  }

  /**
   * Waits until the recommender group committed everything and every user's list is as of their
   * last event; returns the users still stale when the time is up (asked again at the end, so a
   * group that never caught up cannot pass for one without stale lists).
   */
  async waitForRecommendations(
    lastEventOf: ReadonlyMap<string, string>,
    timeoutMs: number,
  ): Promise<string[]> {
    const caughtUp = await eventually(
      async () => {
        if ((await this.harness.lag('recommender', Topic.SessionFeatures)) > 0) return undefined;
        return (await this.staleRecommendations(lastEventOf)).length === 0 ? true : undefined;
      },
      { timeoutMs, intervalMs: 1_000, what: 'recommendations as of every last event' },
    ).then(
      () => true,
      () => false,
    );
    return caughtUp ? [] : this.staleRecommendations(lastEventOf);
  }

  /** Sum of both consumer groups' lag. */
  async totalLag(): Promise<number> {
    const [feature, recommender] = await Promise.all([
      this.harness.lag('feature', Topic.Events),
      this.harness.lag('recommender', Topic.SessionFeatures),
    ]);
    return feature + recommender;
  }

  private async retire(app: AppName, how: 'crash' | 'stop'): Promise<void> {
    const [oldest, ...rest] = this.instances(app);
    if (oldest === undefined) throw new Error(`no ${app} instance to ${how}`);
    this.running.set(app, rest);
    await (how === 'crash' ? oldest.crash() : oldest.stop());
    const port = Number(new URL(oldest.baseUrl).port);
    if (port !== PORT_RANGE.first) this.freePorts.push(port);
  }
}
