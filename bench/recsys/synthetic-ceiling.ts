/**
 * How high can HR@10 go on the synthetic replay at all? Replays the log under the replay's
 * protocol (time order, consecutive repeats dropped, warm-up, seen items excluded, users with an
 * earlier event) with a recommender that knows the generator's own mixture: the catalog's item
 * chains and popularity (rebuilt from the same seed), the 30-minute session rule, and each
 * user's clusters as counted so far (the generator's preferred clusters are not in the log).
 * No learned recommender knows more than this, so its HR@10 is a practical ceiling.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/recsys/synthetic-ceiling.ts \
 *     --input /tmp/kairos-eval/synthetic-1m.jsonl [--limit 300000] [--warmup-fraction 0.667]
 */
import { parseArgs } from 'node:util';
import { generateSyntheticData, readInteractions } from '@kairos/model-training';

const NEXT_IN_CHAIN = 0.55;
const SAME_CLUSTER = 0.25;
const OTHER_PREFERRED = 0.1;
const SESSION_START_PREFERRED = 0.8;
const INACTIVITY_GAP_MS = 30 * 60_000;
const CANDIDATES_PER_CLUSTER = 40;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      limit: { type: 'string' },
      'warmup-fraction': { type: 'string', default: '0.2' },
    },
  });
  if (!values.input) throw new Error('--input is required');
  // The generator's defaults (npm run generate:synthetic): the same seed rebuilds the catalog.
  const { catalog } = generateSyntheticData({
    events: 1,
    users: 50_000,
    items: 5_000,
    clusters: 12,
    seed: 42,
  });
  const rowOf = new Map(catalog.items.map((item, row) => [item.itemId, row]));
  const clusterOf = (row: number): number => catalog.clusterOfItem[row] ?? 0;
  const nextInChain = new Map<number, number>();
  const clusterShare = new Float64Array(catalog.items.length);
  const totalPopularity = catalog.popularity.reduce((sum, value) => sum + value, 0);
  catalog.clusterMembers.forEach((members) => {
    const clusterTotal = members.reduce((sum, row) => sum + (catalog.popularity[row] ?? 0), 0);
    members.forEach((row, index) => {
      nextInChain.set(row, members[(index + 1) % members.length] ?? row);
      clusterShare[row] = (catalog.popularity[row] ?? 0) / clusterTotal;
    });
  });
  const topOfCluster = catalog.clusterMembers.map((members) =>
    [...members]
      .sort((a, b) => (catalog.popularity[b] ?? 0) - (catalog.popularity[a] ?? 0))
      .slice(0, CANDIDATES_PER_CLUSTER),
  );
  const globalTop = Array.from(catalog.popularity, (value, row) => ({ value, row }))
    .sort((a, b) => b.value - a.value)
    .slice(0, CANDIDATES_PER_CLUSTER)
    .map((entry) => entry.row);

  const all = await readInteractions(values.input, 'kairos-jsonl');
  const log = all.slice(0, values.limit === undefined ? all.length : Number(values.limit));
  const lastItem = new Map<string, string>();
  const events = log.filter((event) => {
    if (lastItem.get(event.userId) === event.itemId) return false;
    lastItem.set(event.userId, event.itemId);
    return true;
  });
  const warmup = Math.floor(log.length * Number(values['warmup-fraction']));
  const users = new Map<
    string,
    { last: number; at: number; seen: Set<number>; clusters: number[] }
  >();
  let steps = 0;
  let hits = 0;
  events.forEach((event, index) => {
    const row = rowOf.get(event.itemId) ?? -1;
    const user = users.get(event.userId);
    if (user && index >= warmup && event.type !== 'dislike') {
      steps++;
      const scores = new Map<number, number>();
      const add = (candidate: number, score: number): void => {
        if (!user.seen.has(candidate)) scores.set(candidate, (scores.get(candidate) ?? 0) + score);
      };
      const clusterTotal = user.clusters.reduce((sum, count) => sum + count, 0) || 1;
      const preferredShare =
        event.timestamp - user.at > INACTIVITY_GAP_MS ? SESSION_START_PREFERRED : OTHER_PREFERRED;
      user.clusters.forEach((count, cluster) => {
        for (const candidate of topOfCluster[cluster] ?? []) {
          add(candidate, (preferredShare * count * (clusterShare[candidate] ?? 0)) / clusterTotal);
        }
      });
      const remainder =
        event.timestamp - user.at > INACTIVITY_GAP_MS ? 1 - SESSION_START_PREFERRED : 0.1;
      for (const candidate of globalTop) {
        add(candidate, (remainder * (catalog.popularity[candidate] ?? 0)) / totalPopularity);
      }
      if (event.timestamp - user.at <= INACTIVITY_GAP_MS) {
        add(nextInChain.get(user.last) ?? -1, NEXT_IN_CHAIN);
        for (const candidate of topOfCluster[clusterOf(user.last)] ?? []) {
          add(candidate, SAME_CLUSTER * (clusterShare[candidate] ?? 0));
        }
      }
      const top = [...scores.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
      if (top.some(([candidate]) => candidate === row)) hits++;
    }
    const state = user ?? { last: row, at: event.timestamp, seen: new Set<number>(), clusters: [] };
    if (!user || event.timestamp - user.at > INACTIVITY_GAP_MS) {
      state.clusters[clusterOf(row)] = (state.clusters[clusterOf(row)] ?? 0) + 1;
    }
    state.last = row;
    state.at = event.timestamp;
    state.seen.add(row);
    users.set(event.userId, state);
  });
  process.stdout.write(
    `${JSON.stringify({ evaluatedSteps: steps, ceilingHr10: hits / Math.max(1, steps) })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
