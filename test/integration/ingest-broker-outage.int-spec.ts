import { Topic } from '@kairos/contracts';
import { physicalTopic } from '@kairos/messaging';
import { ingestApp } from '../../apps/ingest/src/ingest.app';
import { bootApp, type RunningApp } from '../support/boot';
import {
  describeWithInfra,
  eventually,
  infraControl,
  infraIsManagedLocally,
  uniqueTestPrefix,
} from '../support/infra';
import { readTopic } from '../support/topic-reader';

/**
 * The broker goes away while clients keep sending: clients must get 503 with Retry-After (never a
 * 202 for an unacknowledged write), ingest must recover on its own when the broker returns, and
 * every event answered 202 must be on the topic afterwards.
 */
describeWithInfra('ingest while the broker is stopped and restarted', ['kafka'], () => {
  const prefix = uniqueTestPrefix('outage');
  let ingest: RunningApp;
  let brokerStopped = false;

  beforeAll(async () => {
    if (!infraIsManagedLocally()) {
      throw new Error(
        'this test stops the broker through scripts/infra; start the services with scripts/infra/up.sh',
      );
    }
    ingest = await bootApp(ingestApp, {
      KAFKA_TOPIC_PREFIX: prefix,
      KAIROS_AUTH: 'off',
      INGEST_PRODUCE_TIMEOUT_MS: '1500',
    });
  });

  afterAll(async () => {
    if (brokerStopped) infraControl('up', 'kafka');
    await ingest?.close();
  });

  it('answers 503 with Retry-After during the outage, recovers, and loses no accepted event', async () => {
    const accepted = new Set<string>();
    const unavailable: Array<{ status: number; retryAfter: string | null; code: string }> = [];
    const unexpectedStatuses: number[] = [];
    const transportErrors: string[] = [];
    let running = true;
    let sequence = 0;

    const client = async (clientId: number): Promise<void> => {
      while (running) {
        const eventId = `outage-${clientId}-${sequence++}`;
        try {
          const response = await fetch(`${ingest.baseUrl}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              eventId,
              userId: `user-${sequence % 50}`,
              itemId: 'sku-1',
              type: 'view',
            }),
          });
          const body = (await response.json()) as { error?: { code: string } };
          if (response.status === 202) accepted.add(eventId);
          else if (response.status === 503) {
            unavailable.push({
              status: 503,
              retryAfter: response.headers.get('retry-after'),
              code: body.error?.code ?? '',
            });
            await new Promise((resolve) => setTimeout(resolve, 100));
          } else unexpectedStatuses.push(response.status);
        } catch (error) {
          // No answer at all (e.g. a keep-alive socket closed under the client): the event was not
          // reported accepted, so it is not in `accepted`; the client would retry it.
          transportErrors.push(
            error instanceof Error ? `${error.message} ${String(error.cause)}` : String(error),
          );
        }
      }
    };
    const clients = [0, 1, 2, 3].map((id) => client(id));

    await eventually(() => (accepted.size >= 50 ? true : undefined), {
      what: '50 accepted events before the outage',
    });
    infraControl('down', 'kafka');
    brokerStopped = true;
    await eventually(() => (unavailable.length >= 5 ? true : undefined), {
      what: '503 answers during the outage',
    });
    const acceptedDuringOutage = accepted.size;

    infraControl('up', 'kafka');
    brokerStopped = false;
    await eventually(() => (accepted.size >= acceptedDuringOutage + 50 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'ingest to accept events again after the broker returned',
    });
    running = false;
    await Promise.all(clients);

    expect(unexpectedStatuses).toEqual([]);
    expect(
      unavailable.every(
        (answer) => answer.code === 'broker_unavailable' && Number(answer.retryAfter) > 0,
      ),
    ).toBe(true);

    const records = await readTopic(
      ingest.config.kafka,
      physicalTopic(prefix, Topic.Events),
      (found) =>
        [...accepted].every((id) =>
          found.some((record) => record.headers['kairos-event-id'] === id),
        ),
      60_000,
    );
    const onTopic = new Set(records.map((record) => record.headers['kairos-event-id']));
    const missing = [...accepted].filter((id) => !onTopic.has(id));
    expect(missing).toEqual([]);
    console.log(
      `broker outage: ${accepted.size} accepted (all on the topic), ${unavailable.length} answered 503, ` +
        `${onTopic.size - accepted.size} records on the topic that were answered 503 (client retries dedupe them by eventId), ` +
        `${transportErrors.length} requests without an answer (${transportErrors.slice(0, 2).join('; ')})`,
    );
  });
});
