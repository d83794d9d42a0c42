import { createRequire } from 'node:module';
import {
  fixKafkajsIdleTimerLoop,
  PATCHED_KAFKAJS_VERSION,
  type RequestQueueInternals,
} from './kafkajs-idle-timer.fix';

const requireHere = createRequire(__filename);

/** kafkajs's RequestQueue as the tests drive it (one per broker connection in kafkajs). */
interface TestQueue extends RequestQueueInternals {
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(milliseconds: number): void;
}
interface Entry {
  correlationId: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// Each spec file has its own module registry, so this kafkajs class starts unpatched.
const RequestQueue = requireHere('kafkajs/src/network/requestQueue') as new (
  options: Record<string, unknown>,
) => TestQueue;

const silent = { debug: () => undefined, warn: () => undefined, error: () => undefined };
function queue(maxInFlightRequests: number | null = null): TestQueue {
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: silent,
  });
}

/** A request whose `sent` flag flips when kafkajs hands it to the socket. */
function request(correlationId: number): { sent: () => boolean; push: (q: TestQueue) => void } {
  let sent = false;
  const entry: Entry = {
    correlationId,
    apiName: 'Produce',
    apiKey: 0,
    apiVersion: 7,
    resolve: () => undefined,
    reject: () => undefined,
  };
  return {
    sent: () => sent,
    push: (q) =>
      q.push({
        entry,
        expectResponse: true,
        sendRequest: () => {
          sent = true;
        },
      }),
  };
}

describe('kafkajs idle timer loop (tulios/kafkajs#1556)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is patched on the kafkajs version installed', () => {
    const { version } = requireHere('kafkajs/package.json') as { version: string };
    // An upgrade lands here first: check whether upstream fixed the loop, then update or drop.
    expect(version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it('unpatched, an idle queue re-arms a timer forever (the bug, kept visible)', () => {
    const idle = queue();
    idle.checkPendingRequests(); // what every answered request does
    for (let tick = 0; tick < 50; tick++) {
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(1);
    }
    expect(jest.getTimerCount()).toBe(1);
    clearTimeout(idle.throttleCheckTimeoutId ?? undefined);
  });

  describe('patched', () => {
    beforeAll(() => {
      expect(fixKafkajsIdleTimerLoop()).toBe(true);
    });

    it('leaves no timer behind once nothing waits', () => {
      const idle = queue();
      idle.checkPendingRequests();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('still sends a request held back by the in-flight limit when the one ahead is answered', () => {
      const q = queue(1);
      const first = request(1);
      const second = request(2);
      first.push(q);
      second.push(q);
      expect([first.sent(), second.sent()]).toEqual([true, false]);
      q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(second.sent()).toBe(true);
      q.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
      // The check `push` armed for the waiting request fires once more, then nothing re-arms.
      jest.advanceTimersByTime(10);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('still sends a request held back by a broker throttle once the throttle ends', () => {
      const q = queue();
      q.maybeThrottle(50);
      const held = request(1);
      held.push(q);
      expect(held.sent()).toBe(false);
      jest.advanceTimersByTime(49);
      expect(held.sent()).toBe(false);
      jest.advanceTimersByTime(1);
      expect(held.sent()).toBe(true);
      q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
