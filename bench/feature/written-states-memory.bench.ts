/**
 * bench/feature/written-states-memory: heap held by the feature consumer's WrittenStates cache.
 * Users' states are built with the real applyEvents from the soak's click stream (demo catalog,
 * `--events` per user, applied in batches of 10 like consumed batches) and remembered in a
 * WrittenStates of `--capacity` states and `--max-mb` estimated heap; after every `--step` users
 * the heap is measured after a full GC, next to the cache's own estimate. Shows the heap per
 * cached state and that it stops growing at the bounds. The reference is
 * the heap with the cache cleared at the end of the same run. `--shape largest` builds instead the
 * largest state the session rules allow (128-character ids, 10 closed sessions, then one session
 * of distinct items and categories past every bound): the cache's worst case. Never pass/fail.
 *
 *   npm run bench:feature:memory -- [--users 3000] [--capacity 2000] [--max-mb 1024]
 *     [--events 250] [--step 500] [--shape soak|largest]
 */
import { parseArgs } from 'node:util';
import { type UserEventMessage } from '@kairos/contracts';
import { clientStream } from '../../test/chaos/support/client-stream';
import { WrittenStates } from '../../apps/feature/src/events/written-states';
import {
  applyEvents,
  DEFAULT_SESSION_RULES,
  type IncomingEvent,
} from '../../apps/feature/src/sessions/session-window';
import { type UserState } from '../../apps/feature/src/sessions/user-state';
import { machineDescription, printTable } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '3000' },
    capacity: { type: 'string', default: '2000' },
    'max-mb': { type: 'string', default: '1024' },
    events: { type: 'string', default: '250' },
    step: { type: 'string', default: '500' },
    shape: { type: 'string', default: 'soak' },
  },
});
const USERS = Number(args.users);
const CAPACITY = Number(args.capacity);
const MAX_BYTES = Number(args['max-mb']) * 2 ** 20;
const EVENTS_PER_USER = Number(args.events);
const STEP = Number(args.step);
const SHAPE = args.shape === 'largest' ? 'largest' : 'soak';
const BATCH = 10;
const MB = 2 ** 20;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function heapUsedAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** The soak's click stream: `--events` per user over 6 hours, mostly one category each. */
function soakEvents(prefix: string, count: number): UserEventMessage[] {
  return clientStream(count * EVENTS_PER_USER, count, prefix, {
    startMs: Date.now() - 6 * 3_600_000,
    spanMs: 6 * 3_600_000,
  }).map((event) => ({ ...event, receivedAt: event.timestamp }));
}

/** An id of the longest allowed length (128), unique per `unique`. */
const longId = (unique: string): string => unique.padEnd(128, 'x');

/**
 * Per user: 10 short sessions (the summaries kept), then one session of distinct items and
 * categories, longer than the window, id ring, affinity and distinct-item bounds.
 */
function largestEvents(prefix: string, count: number): UserEventMessage[] {
  const rules = DEFAULT_SESSION_RULES;
  const start = Date.now() - 12 * 3_600_000;
  const sessionGapMs = rules.inactivityGapMs + 60_000;
  const lastSessionEvents = Math.max(rules.maxDistinctItems, rules.recentEventIds) + 50;
  const events: UserEventMessage[] = [];
  for (let user = 0; user < count; user++) {
    const userId = `${prefix}-u${user}`;
    let timestamp = start;
    const add = (n: number) => {
      events.push({
        eventId: longId(`${userId}-e${n}-`),
        userId,
        itemId: longId(`${userId}-item-${n}-`),
        type: 'view',
        timestamp,
        receivedAt: timestamp,
        context: { category: longId(`${userId}-category-${n % (rules.maxAffinities * 2)}-`) },
      });
    };
    let n = 0;
    for (let session = 0; session < rules.recentSessions; session++) {
      for (let i = 0; i < 5; i++, n++, timestamp += 1_000) add(n);
      timestamp += sessionGapMs;
    }
    for (let i = 0; i < lastSessionEvents; i++, n++, timestamp += 1_000) add(n);
  }
  return events;
}

/** Full states of `count` users (`<prefix>-u<n>`), as the consumer computes them. */
function buildStates(prefix: string, count: number): UserState[] {
  const events = SHAPE === 'largest' ? largestEvents(prefix, count) : soakEvents(prefix, count);
  const byUser = new Map<string, IncomingEvent[]>();
  events.forEach((event, offset) => {
    // Parsed from JSON as the consumer decodes records: every string flat and its own.
    const message = JSON.parse(JSON.stringify(event)) as UserEventMessage;
    const list = byUser.get(message.userId) ?? [];
    list.push({ message, partition: 0, offset: String(offset) });
    byUser.set(message.userId, list);
  });
  return [...byUser].map(([userId, incoming]) => {
    let state: UserState | null = null;
    for (let from = 0; from < incoming.length; from += BATCH)
      state = applyEvents(
        state,
        userId,
        incoming.slice(from, from + BATCH),
        DEFAULT_SESSION_RULES,
      ).state;
    if (state === null) throw new Error(`no events for ${userId}`);
    return state;
  });
}

/**
 * Builds and caches `--step` users; returns the last one's state. A function of its own, so the
 * built array dies with its frame (a dead register in main kept a step's states alive).
 */
function rememberNewUsers(cache: WrittenStates, prefix: string): UserState | undefined {
  let last: UserState | undefined;
  for (const state of buildStates(prefix, STEP)) {
    cache.remember(state.userId, { state, version: 1 });
    last = state;
  }
  return last;
}

function main(): void {
  const cache = new WrittenStates({ maxStates: CAPACITY, maxBytes: MAX_BYTES });
  const steps: Array<{ users: number; states: number; estimated: number; heapUsed: number }> = [];
  let sample: UserState | undefined;
  for (let users = STEP; users <= USERS; users += STEP) {
    sample = rememberNewUsers(cache, `mem${users}`);
    const { states, bytes } = cache.usage;
    steps.push({ users, states, estimated: bytes, heapUsed: heapUsedAfterGc() });
  }
  // The reference: the same process with the cache emptied, measured last (after the code ran).
  cache.clear();
  const reference = heapUsedAfterGc();
  console.log(
    `WrittenStates(at most ${CAPACITY} states, ${MAX_BYTES / MB} MB estimated), ${SHAPE === 'largest' ? 'largest states' : `${EVENTS_PER_USER} soak events per user`}, rules: window ${DEFAULT_SESSION_RULES.maxWindowEvents}, ids ${DEFAULT_SESSION_RULES.recentEventIds}, affinities ${DEFAULT_SESSION_RULES.maxAffinities}, distinct items ${DEFAULT_SESSION_RULES.maxDistinctItems}; ${machineDescription()}\n`,
  );
  printTable(
    steps.map(({ users, states, estimated, heapUsed }) => ({
      'users written': users,
      'states cached': states,
      'heap held MB': (heapUsed - reference) / MB,
      'estimated MB': estimated / MB,
      'KB per cached state': (heapUsed - reference) / states / 1_024,
      'estimated / held': estimated / (heapUsed - reference),
    })),
  );
  if (sample !== undefined) {
    const { session, profile, recentEventIds } = sample;
    console.log(
      `\none state: ${session?.events.length ?? 0} window events, ${session?.distinctItemIds.length ?? 0} distinct items, ${recentEventIds.length} event ids, ${Object.keys(profile.itemAffinities).length} item and ${Object.keys(profile.categoryAffinities).length} category affinities, ${profile.recentSessions.length} session summaries, ${(JSON.stringify(sample).length / 1_024).toFixed(1)} KB as JSON`,
    );
  }
  console.log(`reference (cache cleared): heapUsed ${(reference / MB).toFixed(1)} MB`);
}

main();
