import { eventually, infraControl } from '../../support/infra';
import { type ClientEvent } from './client-stream';
import { type ResilientSender, type SendOutcome } from './resilient-sender';

export interface OutageTimings {
  readonly outcome: SendOutcome;
  /** Accepted events when the service was stopped. */
  readonly atAccepted: number;
  /** From the stop command until the service answered again. */
  readonly downMs: number;
  /** 503 answers clients got while the service was down or coming back. */
  readonly unavailableDuringOutage: number;
  /** When the service was back (performance.now()), to time the recovery from. */
  readonly backAt: number;
}

/**
 * Streams `events` and, once `atFraction` of them were accepted, stops `service` through
 * scripts/infra, keeps it down for at least `holdMs` and until `downUntil` holds, then starts it
 * again while the clients keep going.
 */
export async function streamThroughOutage(
  sender: ResilientSender,
  events: readonly ClientEvent[],
  options: {
    readonly service: 'kafka' | 'mongo';
    readonly atFraction: number;
    readonly holdMs: number;
    readonly downUntil?: () => boolean;
  },
): Promise<OutageTimings> {
  const sending = sender.send(events);
  const atAccepted = await eventually(
    () =>
      sender.acceptedCount >= events.length * options.atFraction ? sender.acceptedCount : undefined,
    { timeoutMs: 120_000, intervalMs: 50, what: 'progress before the outage' },
  );
  const unavailableBefore = sender.unavailableCount;
  const stoppedAt = performance.now();
  infraControl('down', options.service);
  try {
    await new Promise((resolve) => setTimeout(resolve, options.holdMs));
    const downUntil = options.downUntil;
    if (downUntil !== undefined) {
      await eventually(() => (downUntil() ? true : undefined), {
        timeoutMs: 60_000,
        what: `the clients to notice the ${options.service} outage`,
      });
    }
  } finally {
    infraControl('up', options.service);
  }
  const backAt = performance.now();
  const unavailableDuringOutage = sender.unavailableCount - unavailableBefore;
  const outcome = await sending;
  return {
    outcome,
    atAccepted,
    downMs: backAt - stoppedAt,
    unavailableDuringOutage,
    backAt,
  };
}
