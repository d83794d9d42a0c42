/**
 * Coalesces concurrent publish calls into few broker requests ("natural batching"): while
 * `maxConcurrentSends` requests are in flight, new calls queue; when one completes, everything
 * queued goes out together. At low load a call is sent at once (no linger delay); under load
 * requests grow instead of multiplying. A broker handles one request per connection at a time,
 * so many small produce requests cost far more than one larger one.
 *
 * Each caller's promise settles with the outcome of the request that carried its records, so a
 * caller is told "written" only for records the broker acknowledged.
 */
export interface QueuedWrite<M> {
  readonly topic: string;
  readonly messages: readonly M[];
}

export type SendFunction<M> = (byTopic: ReadonlyMap<string, M[]>) => Promise<void>;

interface Pending<M> extends QueuedWrite<M> {
  resolve(): void;
  reject(error: unknown): void;
}

export class SendCoalescer<M> {
  private queue: Pending<M>[] = [];
  private queuedMessages = 0;
  private inFlight = 0;

  constructor(
    private readonly send: SendFunction<M>,
    private readonly maxConcurrentSends = 2,
    /** Upper bound on records per request, to stay under the broker's request size limit. */
    private readonly maxMessagesPerSend = 4_000,
  ) {}

  write(topic: string, messages: readonly M[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
      this.queuedMessages += messages.length;
      this.drain();
    });
  }

  get pendingMessages(): number {
    return this.queuedMessages;
  }

  private drain(): void {
    while (this.inFlight < this.maxConcurrentSends && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      const byTopic = new Map<string, M[]>();
      for (const write of batch) {
        const list = byTopic.get(write.topic) ?? [];
        list.push(...write.messages);
        byTopic.set(write.topic, list);
      }
      this.send(byTopic)
        .then(
          () => batch.forEach((write) => write.resolve()),
          (error: unknown) => batch.forEach((write) => write.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.drain();
        });
    }
  }

  /** Whole writes only (a caller's records travel together), at least one, up to the cap. */
  private takeBatch(): Pending<M>[] {
    let count = 0;
    let taken = 0;
    while (taken < this.queue.length) {
      const size = this.queue[taken]!.messages.length;
      if (taken > 0 && count + size > this.maxMessagesPerSend) break;
      count += size;
      taken += 1;
    }
    const batch = this.queue.slice(0, taken);
    this.queue = this.queue.slice(taken);
    this.queuedMessages -= count;
    return batch;
  }
}
