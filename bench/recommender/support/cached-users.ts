import { Topic } from '@kairos/contracts';
import { createKafka, physicalGroupId, physicalTopic, totalGroupLag } from '@kairos/messaging';
import { metricValue } from '../../../test/support/metrics';
import { httpJson } from '../../support/http-json';
import { type BenchScope } from './bench-scope';
import { SessionFeaturesFeed, sessionFeaturesFor } from './session-features-feed';

export interface CachedUsers {
  readonly userIds: readonly string[];
  /** From the first publish until the recommender's group has no lag left. */
  readonly secondsToLagZero: number;
}

/**
 * Publishes one `session-features` snapshot per user and waits until the recommender has
 * scored, stored and committed all of them (group lag 0), so every user has a precomputed list.
 */
export async function cacheUsers(options: {
  readonly scope: BenchScope;
  readonly vocabulary: readonly string[];
  readonly users: number;
  readonly windowLength: number;
  readonly label: string;
  /** Called about every `progressEveryMs` with the users not yet processed. */
  readonly onProgress?: (usersLeft: number) => void | Promise<void>;
  readonly progressEveryMs?: number;
}): Promise<CachedUsers> {
  const config = options.scope.config('recommender');
  const admin = createKafka(config.kafka, 'bench-recommender-admin').admin();
  await admin.connect();
  const feed = new SessionFeaturesFeed(config);
  await feed.connect();
  const started = performance.now();
  const messages = Array.from({ length: options.users }, (_, i) =>
    sessionFeaturesFor(i, options.vocabulary, options.windowLength),
  );
  await feed.publish(messages);
  await feed.disconnect();

  const topic = physicalTopic(options.scope.prefix, Topic.SessionFeatures);
  const group = physicalGroupId(options.scope.prefix, 'recommender');
  let lastReport = performance.now();
  for (;;) {
    // A broker hiccup (leader election, coordinator moving) is retried, not fatal.
    const lag = await totalGroupLag(admin, group, topic).catch((error: unknown) => {
      process.stdout.write(`  ${options.label}: lag unavailable (${String(error)}), retrying\n`);
      return Number.NaN;
    });
    if (lag === 0) break;
    if (performance.now() - lastReport > (options.progressEveryMs ?? 5_000)) {
      const seconds = ((performance.now() - started) / 1_000).toFixed(0);
      process.stdout.write(`  ${options.label}: recommender lag ${lag} after ${seconds} s\n`);
      await options.onProgress?.(lag);
      lastReport = performance.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const secondsToLagZero = (performance.now() - started) / 1_000;
  await admin.disconnect();
  return { userIds: messages.map((message) => message.userId), secondsToLagZero };
}

interface GetAnswer {
  readonly source: string;
  readonly asOfEventId: string | null;
  readonly computedAt: string;
}

export async function getRecommendations(baseUrl: string, userId: string): Promise<GetAnswer> {
  const response = await httpJson(`${baseUrl}/v1/recommendations/${encodeURIComponent(userId)}`);
  if (response.status >= 300) throw new Error(`GET ${userId}: HTTP ${response.status}`);
  return response.body as GetAnswer;
}

/** Counts users whose GET does not answer from a precomputed list (expected: 0). */
export async function notPrecomputed(
  baseUrl: string,
  userIds: readonly string[],
  concurrency = 16,
): Promise<number> {
  let next = 0;
  let missing = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < userIds.length) {
        const userId = userIds[next++] ?? '';
        const answer = await getRecommendations(baseUrl, userId);
        if (answer.source !== 'precomputed') missing += 1;
      }
    }),
  );
  return missing;
}

/** Inference calls so far and their mean users per call, from the recommender's /metrics. */
export async function inferenceBatchStats(
  baseUrl: string,
): Promise<{ batches: number; meanUsers: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string): number => metricValue(text, name) ?? Number.NaN;
  const batches = value('kairos_recommender_inference_batch_users_count');
  return { batches, meanUsers: value('kairos_recommender_inference_batch_users_sum') / batches };
}
