import type { EventType } from '@kairos/contracts';
import { SeededRandom, WeightedSampler } from '../random/seeded-random';
import { generateSyntheticCatalog, type SyntheticCatalog } from './synthetic-catalog';
import { TimeOrderedBuffer } from './time-ordered-buffer';

export interface SyntheticDataOptions {
  events: number;
  users: number;
  items: number;
  clusters: number;
  seed: number;
  /** Epoch ms of the first session; default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Days over which sessions start (heavy users may run a little past it). Default 30. */
  spanDays?: number;
}

/** One generated event, in the kairos-jsonl (ingest) shape with epoch-ms timestamps. */
export interface SyntheticEvent {
  eventId: string;
  userId: string;
  itemId: string;
  type: EventType;
  timestamp: number;
  sessionId: string;
}

export interface SyntheticData {
  catalog: SyntheticCatalog;
  /** Exactly `options.events` events, in non-decreasing timestamp order. */
  events(): Generator<SyntheticEvent>;
}

const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
/** A gap longer than this ends a session (the feature service's usual inactivity window). */
const INACTIVITY_GAP_MS = 30 * 60_000;
const MEAN_SESSION_LENGTH = 6;
const MAX_SESSION_LENGTH = 60;
const MEAN_DWELL_MS = 40_000;
// Where the next item of a session comes from (the remainder: anywhere, by popularity).
const NEXT_IN_CHAIN = 0.55;
const SAME_CLUSTER = 0.25;
const OTHER_PREFERRED_CLUSTER = 0.1;
const EVENT_TYPE_MIX: readonly [EventType, number][] = [
  ['view', 0.78],
  ['click', 0.12],
  ['add_to_cart', 0.07],
  ['purchase', 0.03],
];

export function generateSyntheticData(options: SyntheticDataOptions): SyntheticData {
  for (const field of ['events', 'users', 'items', 'clusters'] as const) {
    if (!Number.isInteger(options[field]) || options[field] < 1) {
      throw new Error(`${field} must be a positive integer, got ${options[field]}`);
    }
  }
  const random = new SeededRandom(options.seed);
  const catalog = generateSyntheticCatalog(options.items, options.clusters, random);
  return { catalog, events: () => generateEvents(catalog, options, random) };
}

function* generateEvents(
  catalog: SyntheticCatalog,
  options: SyntheticDataOptions,
  random: SeededRandom,
): Generator<SyntheticEvent> {
  const { clusterMembers, clusterOfItem, popularity, items } = catalog;
  const globalSampler = new WeightedSampler(popularity);
  const clusterSamplers = clusterMembers.map(
    (members) => new WeightedSampler(members.map((row) => popularity[row] ?? 0)),
  );
  const chainPosition = new Int32Array(items.length);
  clusterMembers.forEach((members) =>
    members.forEach((row, index) => (chainPosition[row] = index)),
  );
  const clusterWeights = clusterMembers.map((members) =>
    members.reduce((sum, row) => sum + (popularity[row] ?? 0), 0),
  );
  const clusterSampler = new WeightedSampler(clusterWeights);
  const preferredClusters = Array.from({ length: options.users }, () =>
    Array.from({ length: 1 + random.nextInt(3) }, () => clusterSampler.sample(random)),
  );
  // A few heavy users, many light ones.
  const userSampler = new WeightedSampler(
    Float64Array.from({ length: options.users }, (_, user) => 1 / (user + 1) ** 0.4),
  );
  const lastEventOfUser = new Float64Array(options.users).fill(-Infinity);
  const sessionsOfUser = new Int32Array(options.users);

  const pickInCluster = (cluster: number) =>
    clusterMembers[cluster]?.[clusterSamplers[cluster]?.sample(random) ?? 0] ?? 0;
  const nextItem = (current: number, preferred: number[]): number => {
    const draw = random.next();
    const cluster = clusterOfItem[current] ?? 0;
    if (draw < NEXT_IN_CHAIN) {
      const members = clusterMembers[cluster] ?? [current];
      return members[((chainPosition[current] ?? 0) + 1) % members.length] ?? current;
    }
    if (draw < NEXT_IN_CHAIN + SAME_CLUSTER) return pickInCluster(cluster);
    if (draw < NEXT_IN_CHAIN + SAME_CLUSTER + OTHER_PREFERRED_CLUSTER) {
      return pickInCluster(random.pick(preferred));
    }
    return globalSampler.sample(random);
  };
  const eventType = (): EventType => {
    let draw = random.next();
    for (const [type, share] of EVENT_TYPE_MIX) if ((draw -= share) < 0) return type;
    return 'view';
  };

  const buffer = new TimeOrderedBuffer<SyntheticEvent>();
  const expectedSessions = options.events / MEAN_SESSION_LENGTH;
  const meanSessionSpacingMs = ((options.spanDays ?? 30) * DAY_MS) / expectedSessions;
  let clock = options.startTime ?? DEFAULT_START_TIME;
  let generated = 0;
  while (generated < options.events) {
    clock += Math.round(random.nextExponential(meanSessionSpacingMs));
    yield* buffer.drainBefore(clock);
    const user = userSampler.sample(random);
    const preferred = preferredClusters[user] ?? [0];
    const userId = `user-${user + 1}`;
    const sessionId = `${userId}-s${++sessionsOfUser[user]!}`;
    let timestamp = Math.max(clock, (lastEventOfUser[user] ?? 0) + INACTIVITY_GAP_MS + 1);
    const length = Math.min(
      MAX_SESSION_LENGTH,
      1 + Math.floor(random.nextExponential(MEAN_SESSION_LENGTH - 1)),
    );
    let item =
      random.next() < 0.8 ? pickInCluster(random.pick(preferred)) : globalSampler.sample(random);
    for (let step = 0; step < length && generated < options.events; step++, generated++) {
      if (step > 0) {
        item = nextItem(item, preferred);
        timestamp += 1_000 + Math.round(random.nextExponential(MEAN_DWELL_MS));
      }
      const itemId = items[item]?.itemId ?? 'item-00001';
      buffer.push({
        eventId: `syn-${generated + 1}`,
        userId,
        itemId,
        type: eventType(),
        timestamp,
        sessionId,
      });
    }
    lastEventOfUser[user] = timestamp;
  }
  yield* buffer.drainBefore(Infinity);
}
