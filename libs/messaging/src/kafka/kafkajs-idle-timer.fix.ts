import { createRequire } from 'node:module';

/** The kafkajs release whose request queue this corrects (the last one; upstream is inactive). */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';
/** kafkajs's own re-check interval for requests waiting behind the in-flight limit or a throttle. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** What the fix touches of kafkajs's per-connection `RequestQueue` (internal, untyped). */
export interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const requireFromHere = createRequire(__filename);
let applied = false;

/**
 * kafkajs 2.2.4 keeps a 1 ms timer running forever on every broker connection
 * (tulios/kafkajs#1556, fix proposed in #1667 and never released): `scheduleCheckPendingRequests`
 * arms a timer even when nothing is pending and nothing is throttled, with a negative delay
 * (`throttledUntil` starts at -1), and the timer's callback calls it again. Each app holds a
 * few connections, so that is thousands of timers a second doing nothing, each also running the
 * async-context hooks when tracing is on. Measured: one idle producer connection, 2,764 timers
 * and 66 ms of CPU in 3 s (0 and 4 ms with this fix); the three apps idle, 2.1 s of CPU per
 * 20 s before, 1.0 s after.
 *
 * The replacement is the original with one change: when nothing waits and no throttle is in
 * effect it schedules nothing. Nothing is lost by that: a request that cannot go out at once
 * is queued by `push`, which schedules the check itself, and every answered or timed-out
 * request checks the queue again.
 *
 * Patched only on the version it was written for; on any other version kafkajs is left alone
 * (the spec fails then, so an upgrade revisits this). Idempotent; process-wide like kafkajs.
 */
export function fixKafkajsIdleTimerLoop(): boolean {
  if (applied) return true;
  const { version } = requireFromHere('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return false;
  const RequestQueue = requireFromHere('kafkajs/src/network/requestQueue') as {
    prototype: RequestQueueInternals;
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
    this: RequestQueueInternals,
  ): void {
    if (this.throttleCheckTimeoutId) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    // Nothing waits and nothing is throttled: no timer (the one line that differs from kafkajs).
    if (this.pending.length === 0 && untilUnthrottled <= 0) return;
    const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  applied = true;
  return true;
}
