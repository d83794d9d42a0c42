interface SentEvent {
  readonly eventId: string;
  readonly postedAt: number;
}

export interface Reflection {
  /** computedAt of the first list that reflects the event, minus the event's POST time. */
  readonly computedMs: number;
  /** When a GET first showed it, minus the POST time (includes the polling interval). */
  readonly observedMs: number;
}

/**
 * Which POSTed events a user's GET answers reflect. A list is "as of" one event; it reflects that
 * event and every earlier event of the same user (per-user order is kept end to end), so an event
 * overtaken by a later one before a poll saw it is still counted, at the first list covering it.
 * Times are epoch ms from the same machine's clock as the recommender's computedAt.
 */
export class FreshnessTracker {
  private readonly sentByUser = new Map<string, SentEvent[]>();
  private readonly reflected = new Map<string, Reflection>();
  private pendingCount = 0;

  sent(userId: string, eventId: string, postedAt: number): void {
    const events = this.sentByUser.get(userId) ?? [];
    events.push({ eventId, postedAt });
    this.sentByUser.set(userId, events);
    this.pendingCount += 1;
  }

  /** Records a GET answer; returns how many pending events it newly covers. */
  observed(userId: string, asOfEventId: string | null, computedAt: number, at: number): number {
    const events = this.sentByUser.get(userId);
    if (events === undefined || asOfEventId === null) return 0;
    const position = events.findIndex((event) => event.eventId === asOfEventId);
    if (position < 0) return 0;
    let covered = 0;
    for (const event of events.slice(0, position + 1)) {
      if (this.reflected.has(event.eventId)) continue;
      this.reflected.set(event.eventId, {
        computedMs: computedAt - event.postedAt,
        observedMs: at - event.postedAt,
      });
      covered += 1;
    }
    this.pendingCount -= covered;
    return covered;
  }

  /** Users with at least one event no GET has reflected yet. */
  usersWithPending(): string[] {
    return [...this.sentByUser.entries()]
      .filter(([, events]) => events.some((event) => !this.reflected.has(event.eventId)))
      .map(([userId]) => userId);
  }

  get pending(): number {
    return this.pendingCount;
  }

  reflections(): Reflection[] {
    return [...this.reflected.values()];
  }

  /** Every sent event with its POST time and, once reflected, its reflection. */
  events(): Array<{ eventId: string; postedAt: number; reflection?: Reflection }> {
    return [...this.sentByUser.values()].flat().map((event) => {
      const reflection = this.reflected.get(event.eventId);
      return reflection === undefined ? { ...event } : { ...event, reflection };
    });
  }
}
