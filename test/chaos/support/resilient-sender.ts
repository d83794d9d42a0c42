import { truthOf, type UserTruth } from '../../support/click-stream';
import { type ClientEvent } from './client-stream';

/** What the clients saw; the accepted events are the ground truth of every chaos check. */
export interface SendOutcome {
  readonly accepted: ReadonlyMap<string, ClientEvent>;
  /** Per user, the eventId of the last event the client got accepted (clients send in order). */
  readonly lastEventOf: ReadonlyMap<string, string>;
  readonly requests: number;
  readonly unavailable: number;
  /** 503 answers without a positive Retry-After (the contract says there always is one). */
  readonly unavailableWithoutRetryAfter: number;
  readonly transportErrors: number;
  readonly retriedBatches: number;
  /** Anything but 202 and 503 (or an entry rejected inside a 202): always a defect here. */
  readonly unexpected: readonly string[];
}

export interface SenderOptions {
  /** Where ingest answers now (it may move when a test restarts it). */
  readonly ingestUrl: () => string;
  readonly batchSize?: number;
  /** Parallel clients; a user always belongs to one, so each user's events stay in order. */
  readonly lanes?: number;
  /** Total events per second over all lanes; unpaced when absent. */
  readonly ratePerSecond?: number;
  /** Upper bound on honouring Retry-After, so an outage test does not idle for long. */
  readonly maxRetryAfterMs?: number;
  /** Called with every request's latency and status (0: no answer), for load reports. */
  readonly onResponse?: (latencyMs: number, status: number) => void;
}

/**
 * Frontend clients as the README asks them to behave: POST /v1/events/batch, and on 503 or no
 * answer at all (ingest killed mid-request) send the same batch again (same eventIds, same
 * timestamps) after Retry-After, until it is accepted. An event counts as accepted only when a
 * 202 said so; whatever a lost answer may have written is a duplicate downstream must drop.
 */
export class ResilientSender {
  private readonly accepted = new Map<string, ClientEvent>();
  private readonly lastEventOf = new Map<string, string>();
  private readonly unexpected: string[] = [];
  private requests = 0;
  private unavailable = 0;
  private unavailableWithoutRetryAfter = 0;
  private transportErrors = 0;
  private retriedBatches = 0;
  private stopped = false;

  constructor(private readonly options: SenderOptions) {}

  get acceptedCount(): number {
    return this.accepted.size;
  }

  get unavailableCount(): number {
    return this.unavailable;
  }

  /** Ends the lanes after their current batch (the outcome then covers what was accepted). */
  stop(): void {
    this.stopped = true;
  }

  async send(events: readonly ClientEvent[]): Promise<SendOutcome> {
    const laneCount = this.options.lanes ?? 4;
    const lanes: ClientEvent[][] = Array.from({ length: laneCount }, () => []);
    for (const event of events) lanes[laneOf(event.userId, laneCount)]?.push(event);
    const started = performance.now();
    const laneRate =
      this.options.ratePerSecond === undefined ? undefined : this.options.ratePerSecond / laneCount;
    await Promise.all(lanes.map((lane) => this.runLane(lane, started, laneRate)));
    return this.outcome();
  }

  outcome(): SendOutcome {
    return {
      accepted: this.accepted,
      lastEventOf: this.lastEventOf,
      requests: this.requests,
      unavailable: this.unavailable,
      unavailableWithoutRetryAfter: this.unavailableWithoutRetryAfter,
      transportErrors: this.transportErrors,
      retriedBatches: this.retriedBatches,
      unexpected: this.unexpected,
    };
  }

  private async runLane(
    lane: readonly ClientEvent[],
    started: number,
    laneRate: number | undefined,
  ): Promise<void> {
    const batchSize = this.options.batchSize ?? 200;
    for (let offset = 0; offset < lane.length && !this.stopped; offset += batchSize) {
      if (laneRate !== undefined) {
        const due = started + (offset / laneRate) * 1_000;
        await sleep(due - performance.now());
      }
      await this.deliver(lane.slice(offset, offset + batchSize));
    }
  }

  /**
   * Sends one batch until ingest accepted all of it. Never abandoned halfway, even after stop():
   * a batch whose answer was lost may be on the topic, and only its 202 makes it ground truth.
   */
  private async deliver(batch: readonly ClientEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (attempt === 1) this.retriedBatches += 1;
      const waitMs = await this.attempt(batch);
      if (waitMs === null) return;
      await sleep(waitMs);
    }
  }

  /** null when the batch is done (accepted, or refused for good); otherwise ms to wait. */
  private async attempt(batch: readonly ClientEvent[]): Promise<number | null> {
    this.requests += 1;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(`${this.options.ingestUrl()}/v1/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      this.transportErrors += 1;
      this.options.onResponse?.(performance.now() - started, 0);
      return 200;
    }
    this.options.onResponse?.(performance.now() - started, response.status);
    if (response.status === 503) {
      await response.body?.cancel();
      this.unavailable += 1;
      const retryAfterSeconds = Number(response.headers.get('retry-after'));
      if (!(retryAfterSeconds > 0)) this.unavailableWithoutRetryAfter += 1;
      const maxMs = this.options.maxRetryAfterMs ?? 5_000;
      return Math.min(maxMs, Math.max(100, retryAfterSeconds * 1_000));
    }
    const text = await response.text();
    if (response.status !== 202) {
      this.unexpected.push(`${response.status}: ${text.slice(0, 200)}`);
      return null;
    }
    const body = JSON.parse(text) as { results: Array<{ index: number; status: string }> };
    for (const result of body.results) {
      const event = batch[result.index];
      if (event === undefined) continue;
      if (result.status !== 'accepted') {
        this.unexpected.push(`entry ${event.eventId} ${result.status}: ${text.slice(0, 200)}`);
        continue;
      }
      this.accepted.set(event.eventId, event);
      this.lastEventOf.set(event.userId, event.eventId);
    }
    return null;
  }
}

/** Per-user counts of the accepted events, each eventId once: what session state must hold. */
export function truthOfAccepted(
  accepted: ReadonlyMap<string, ClientEvent>,
): Map<string, UserTruth> {
  return truthOf([...accepted.values()]);
}

function laneOf(userId: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
