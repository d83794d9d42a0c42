import { type EventType, type UserEventMessage } from '@kairos/contracts';
import {
  type Affinity,
  type SessionRules,
  type SessionSummary,
  type UserProfile,
} from './user-state';

type AffinityRules = Pick<SessionRules, 'affinityHalfLifeMs' | 'maxAffinities'>;

/**
 * Working copy of the long-term profile, owned by one applyEvents call. Affinities are Maps
 * rather than records, so ids such as `__proto__` or `constructor` are ordinary keys.
 */
export interface ProfileDraft {
  readonly totalsByType: { -readonly [K in EventType]?: number };
  totalEvents: number;
  readonly recentSessions: SessionSummary[];
  readonly items: Map<string, Affinity>;
  readonly categories: Map<string, Affinity>;
}

/**
 * Signal strength per interaction type: stronger intent weighs more, a dislike pushes the
 * affinity down. `rating` is not a fixed weight but a factor per star away from the neutral
 * rating (see eventWeight), because its sign and size depend on the value the user gave.
 */
export const EVENT_WEIGHTS: Readonly<Record<EventType, number>> = Object.freeze({
  view: 1,
  click: 2,
  add_to_cart: 4,
  purchase: 8,
  like: 4,
  dislike: -4,
  rating: 2,
});

/** A 3-star rating says nothing either way, so ratings 1..5 weigh -4..+4. */
export const NEUTRAL_RATING = 3;

/** Weight of one event: (value - 3) * 2 for ratings, the fixed weight otherwise. */
export function eventWeight(type: EventType, value: number | undefined): number {
  if (type !== 'rating') return EVENT_WEIGHTS[type];
  // Validation requires a finite value on ratings; should one slip through, a NaN would poison the
  // affinity for good, so it counts as neutral instead.
  if (value === undefined || !Number.isFinite(value)) return 0;
  return (value - NEUTRAL_RATING) * EVENT_WEIGHTS.rating;
}

/** Affinity decayed to time `at` (never increases going forward). */
export function decayedScore(affinity: Affinity, at: number, halfLifeMs: number): number {
  const elapsedMs = at - affinity.updatedAt;
  // `score` is exact at updatedAt. Extrapolating to an earlier time would amplify it, so earlier
  // times read the exact score; this also keeps the function monotone towards zero in `at`.
  if (elapsedMs <= 0) return affinity.score;
  return affinity.score * Math.pow(2, -elapsedMs / halfLifeMs);
}

/**
 * Adds one event's weight at event time `at`, then enforces the size bound: new score =
 * decayedScore(old, at) + weight, updatedAt = at.
 *
 * An event older than the entry's updatedAt (out of order or late) must not move updatedAt
 * backwards, so its weight is decayed forward to updatedAt instead. Decay is linear, hence the
 * score is the same whatever order the events arrive in — a replay in another order agrees.
 *
 * Mutates `affinities`, a working copy (the stored record is never touched).
 */
function addAffinity(
  affinities: Map<string, Affinity>,
  key: string,
  weight: number,
  at: number,
  watermark: number,
  rules: AffinityRules,
): void {
  const halfLifeMs = rules.affinityHalfLifeMs;
  const previous = affinities.get(key);
  let next: Affinity;
  if (previous === undefined) {
    next = { score: weight, updatedAt: at };
  } else if (at >= previous.updatedAt) {
    next = { score: decayedScore(previous, at, halfLifeMs) + weight, updatedAt: at };
  } else {
    const decayedWeight = weight * Math.pow(2, -(previous.updatedAt - at) / halfLifeMs);
    next = { score: previous.score + decayedWeight, updatedAt: previous.updatedAt };
  }
  affinities.set(key, next);
  evictLowest(affinities, watermark, rules);
}

/**
 * Drops the entries with the lowest score decayed to the watermark until the bound holds.
 * Entries are compared at one common time (the watermark) so an old strong signal and a fresh
 * weak one are weighed fairly. Ties go to the smaller key: object key order does not survive a
 * storage round trip for integer-like keys, so insertion order would not be deterministic.
 */
function evictLowest(
  affinities: Map<string, Affinity>,
  watermark: number,
  rules: AffinityRules,
): void {
  while (affinities.size > Math.max(0, rules.maxAffinities)) {
    let lowest: { key: string; score: number } | undefined;
    for (const [key, affinity] of affinities) {
      const decayed = decayedScore(affinity, watermark, rules.affinityHalfLifeMs);
      // A corrupt (NaN) entry goes first; otherwise it would never compare lower and never leave.
      const score = Number.isNaN(decayed) ? Number.NEGATIVE_INFINITY : decayed;
      if (
        lowest === undefined ||
        score < lowest.score ||
        (score === lowest.score && key < lowest.key)
      ) {
        lowest = { key, score };
      }
    }
    if (lowest === undefined) return;
    affinities.delete(lowest.key);
  }
}

export function emptyProfile(): UserProfile {
  return {
    totalsByType: {},
    totalEvents: 0,
    recentSessions: [],
    itemAffinities: {},
    categoryAffinities: {},
  };
}

export function profileDraftOf(profile: UserProfile): ProfileDraft {
  return {
    totalsByType: { ...profile.totalsByType },
    totalEvents: profile.totalEvents,
    recentSessions: [...profile.recentSessions],
    // Object.entries reads own properties only: nothing inherited can leak in as an entry.
    items: new Map(Object.entries(profile.itemAffinities)),
    categories: new Map(Object.entries(profile.categoryAffinities)),
  };
}

export function profileOf(draft: ProfileDraft): UserProfile {
  return {
    totalsByType: { ...draft.totalsByType },
    totalEvents: draft.totalEvents,
    recentSessions: [...draft.recentSessions],
    // fromEntries defines own data properties, so a `__proto__` key stays an ordinary entry
    // instead of replacing the prototype (which an assignment `record[key] = ...` would do).
    itemAffinities: Object.fromEntries(draft.items),
    categoryAffinities: Object.fromEntries(draft.categories),
  };
}

/**
 * Rule 4: every non-duplicate event, late ones included, counts in the totals and moves its
 * item's affinity and, when it names one, its category's.
 */
export function recordInProfile(
  draft: ProfileDraft,
  message: UserEventMessage,
  watermark: number,
  rules: AffinityRules,
): void {
  draft.totalsByType[message.type] = (draft.totalsByType[message.type] ?? 0) + 1;
  draft.totalEvents += 1;
  const weight = eventWeight(message.type, message.value);
  const at = message.timestamp;
  addAffinity(draft.items, message.itemId, weight, at, watermark, rules);
  const category = categoryOf(message);
  if (category !== undefined) addAffinity(draft.categories, category, weight, at, watermark, rules);
}

/** Keeps the last K closed sessions, newest first. */
export function archiveSession(
  draft: ProfileDraft,
  summary: SessionSummary,
  maxSessions: number,
): void {
  draft.recentSessions.unshift(summary);
  draft.recentSessions.splice(Math.max(0, maxSessions));
}

function categoryOf(message: UserEventMessage): string | undefined {
  const context = message.context;
  // Own property only: a `category` inherited through a prototype is not something the client sent.
  if (!context || !Object.hasOwn(context, 'category')) return undefined;
  const category = context.category;
  return typeof category === 'string' && category.length > 0 ? category : undefined;
}
