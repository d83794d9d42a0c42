import { describeWithInfra, infraIsManagedLocally } from '../support/infra';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, percent, reportChaos } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { describeExactCounts, expectExactlyOnce, settleAndCount } from './support/exactly-once';
import { ResilientSender } from './support/resilient-sender';
import { streamThroughOutage } from './support/service-outage';

const EVENTS = chaosSetting('OUTAGE_EVENTS', 4_000);
const RATE = chaosSetting('RATE', 400);

/**
 * The broker stops while clients keep sending and the consumers keep consuming: clients get 503
 * with Retry-After (never a 202 for an unacknowledged write), and once the broker is back every
 * app recovers by itself, lag returns to 0 and nothing accepted is lost or counted twice.
 */
describeWithInfra('chaos: Kafka broker restart during ingest', ['kafka', 'mongo'], () => {
  jest.setTimeout(10 * 60_000);
  const stack = new ChaosStack('chaos-broker', { INGEST_PRODUCE_TIMEOUT_MS: '1500' });

  beforeAll(async () => {
    if (!infraIsManagedLocally())
      throw new Error('this test restarts Kafka through scripts/infra; start it with up.sh');
    await stack.start();
  });
  afterAll(() => stack.stop());

  it('answers 503 with Retry-After while it is down and recovers to lag 0 with exact counts', async () => {
    const events = clientStream(EVENTS, EVENTS / 20, stack.harness.prefix.replace(/\W/g, ''));
    const sender = new ResilientSender({
      ingestUrl: stack.ingestUrl,
      ratePerSecond: RATE,
      maxRetryAfterMs: 2_000,
    });
    const outage = await streamThroughOutage(sender, events, {
      service: 'kafka',
      atFraction: 0.3,
      holdMs: 5_000,
      downUntil: () => sender.unavailableCount >= 5,
    });
    const settled = await settleAndCount(stack, outage.outcome);
    const recoveryMs = settled.recommendationsSettledAt - outage.backAt;
    const exited = stack.exited();

    reportChaos('broker restart', `events=${EVENTS} rate=${RATE}/s`, [
      {
        fault: 'Kafka stopped (down.sh) and started again',
        injected: `at ${percent(outage.atAccepted, EVENTS)} of the stream, down ${(outage.downMs / 1_000).toFixed(1)} s`,
        observed: `${outage.unavailableDuringOutage} x 503 during the outage (${outage.outcome.unavailableWithoutRetryAfter} without Retry-After), ${outage.outcome.transportErrors} without answer`,
      },
      {
        fault: 'clients',
        injected: `${EVENTS} events at ${RATE}/s, resent after Retry-After`,
        observed: `${outage.outcome.accepted.size} accepted; unexpected answers ${outage.outcome.unexpected.length}`,
      },
      {
        fault: 'pipeline',
        injected: 'no manual action',
        observed: `${describeExactCounts(settled)} ${(recoveryMs / 1_000).toFixed(1)} s after the broker was back; ${exited.length} app(s) exited`,
      },
    ]);

    expect(outage.outcome.unexpected).toEqual([]);
    expect(outage.unavailableDuringOutage).toBeGreaterThanOrEqual(5);
    expect(outage.outcome.unavailableWithoutRetryAfter).toBe(0);
    expect(outage.outcome.accepted.size).toBe(EVENTS);
    expect(exited).toEqual([]);
    expectExactlyOnce(settled);
  });
});
