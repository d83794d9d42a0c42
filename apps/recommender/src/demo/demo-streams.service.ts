import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type MessageEvent,
} from '@nestjs/common';
import { ErrorCode, KairosError } from '@kairos/http';
import { Observable, type Subscriber } from 'rxjs';
import { CatalogService } from '../catalog/catalog.service';
import { RecommendationNotifier } from '../recommendations/recommendation-notifier.service';
import { toDemoUpdateView } from './demo-update.view';

/** Open live streams per process; each holds a socket and a listener, so they are bounded. */
export const MAX_DEMO_STREAMS = 500;

/** An event now and then keeps proxies from closing an idle stream (the page ignores it). */
export const DEMO_HEARTBEAT_MS = 15_000;

/**
 * The demo page's live streams: one per open page, each relaying the watched user's saved
 * lists as `recommendations` events. Opened streams are counted and capped; at shutdown every
 * stream is completed, which ends its response, and new ones are refused, so the HTTP server's
 * close does not wait on connections that would otherwise never end.
 */
@Injectable()
export class DemoStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<Subscriber<MessageEvent>>();
  private isClosing = false;

  constructor(
    private readonly notifier: RecommendationNotifier,
    // Only titles and categories are read; any lookup will do (tests pass a Map's).
    @Inject(CatalogService) private readonly catalog: Pick<CatalogService, 'get'>,
  ) {}

  /** True from the start of shutdown: new streams are refused. */
  get closing(): boolean {
    return this.isClosing;
  }

  get openCount(): number {
    return this.open.size;
  }

  /**
   * The stream of `userId`'s updates; starts with a `ready` event once the listener is in
   * place, so a client knows that anything it does from then on will be seen.
   */
  updatesOf(userId: string, maxStreams = MAX_DEMO_STREAMS): Observable<MessageEvent> {
    // A page reconnects by itself within seconds; a stream opened while the app closes would
    // hold the HTTP server open (shutdown can take that long: consumers leave their groups).
    if (this.isClosing) {
      throw new KairosError(ErrorCode.Overloaded, 'shutting down; reconnect shortly', {}, 5);
    }
    if (this.open.size >= maxStreams) {
      throw new KairosError(
        ErrorCode.Overloaded,
        `too many live demo streams (${maxStreams}); close a page or retry later`,
        {},
        5,
      );
    }
    return new Observable<MessageEvent>((subscriber) => {
      this.open.add(subscriber);
      const stopListening = this.notifier.listen(userId, (update) => {
        subscriber.next({
          type: 'recommendations',
          data: toDemoUpdateView(update, (itemId) => this.catalog.get(itemId)),
        });
      });
      const heartbeat = setInterval(
        () => subscriber.next({ type: 'heartbeat', data: {} }),
        DEMO_HEARTBEAT_MS,
      );
      heartbeat.unref();
      subscriber.next({ type: 'ready', data: { userId } });
      return () => {
        clearInterval(heartbeat);
        stopListening();
        this.open.delete(subscriber);
      };
    });
  }

  beforeApplicationShutdown(): void {
    this.isClosing = true;
    for (const subscriber of [...this.open]) subscriber.complete();
  }
}
