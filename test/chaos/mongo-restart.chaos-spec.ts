import { describeWithInfra, eventually, infraIsManagedLocally } from '../support/infra';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, percent, reportChaos } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { describeExactCounts, expectExactlyOnce, settleAndCount } from './support/exactly-once';
import { ResilientSender } from './support/resilient-sender';
import { streamThroughOutage } from './support/service-outage';

const EVENTS = chaosSetting('OUTAGE_EVENTS', 4_000);
const RATE = chaosSetting('RATE', 400);
const DOWN_MS = chaosSetting('MONGO_DOWN_MS', 10_000);

/**
 * The MongoDB-protocol server stops mid-stream: feature and recommender pause and retry without
 * committing, and after the restart everything accepted is counted exactly once. Reports how long
 * after the restart the first write landed and when the pipeline had caught up.
 */
describeWithInfra('chaos: MongoDB-protocol server restart', ['kafka', 'mongo'], () => {
  jest.setTimeout(10 * 60_000);
  const stack = new ChaosStack('chaos-mongo');

  beforeAll(async () => {
    if (!infraIsManagedLocally())
      throw new Error('this test restarts MongoDB through scripts/infra; start it with up.sh');
    await stack.start();
  });
  afterAll(() => stack.stop());

  it('pauses the consumers, retries, and ends with exact counts', async () => {
    const events = clientStream(EVENTS, EVENTS / 20, stack.harness.prefix.replace(/\W/g, ''));
    const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: RATE });
    // The test's own driver may still be reconnecting after the restart: a failed read is retried.
    const storedEvents = (): Promise<number> =>
      eventually(
        async () =>
          [...(await stack.harness.storedTotals()).values()].reduce(
            (sum, user) => sum + user.total,
            0,
          ),
        { timeoutMs: 60_000, what: 'a read from the restarted server' },
      );

    const outage = await streamThroughOutage(sender, events, {
      service: 'mongo',
      atFraction: 0.3,
      holdMs: DOWN_MS,
    });
    const beforeRestart = await storedEvents();
    const firstWriteMs =
      (await eventually(
        async () => ((await storedEvents()) > beforeRestart ? performance.now() : undefined),
        { timeoutMs: 120_000, intervalMs: 200, what: 'a write after the restart' },
      ).catch(() => Number.NaN)) - outage.backAt;
    const settled = await settleAndCount(stack, outage.outcome);
    const sessionsMs = settled.sessionsSettledAt - outage.backAt;
    const recoveryMs = settled.recommendationsSettledAt - outage.backAt;
    const exited = stack.exited();

    reportChaos('mongo restart', `events=${EVENTS} rate=${RATE}/s`, [
      {
        fault: 'MongoDB-protocol server stopped and started again',
        injected: `at ${percent(outage.atAccepted, EVENTS)} of the stream, down ${(outage.downMs / 1_000).toFixed(1)} s`,
        observed: `first session write ${(firstWriteMs / 1_000).toFixed(1)} s after the restart; sessions caught up after ${(sessionsMs / 1_000).toFixed(1)} s, recommendations after ${(recoveryMs / 1_000).toFixed(1)} s`,
      },
      {
        fault: 'clients',
        injected: `${EVENTS} events at ${RATE}/s`,
        observed: `${outage.outcome.accepted.size} accepted (ingest needs no database); unexpected answers ${outage.outcome.unexpected.length}`,
      },
      {
        fault: 'pipeline',
        injected: 'no manual action',
        observed: `${describeExactCounts(settled)}; ${exited.length} app(s) exited`,
      },
    ]);

    expect(outage.outcome.unexpected).toEqual([]);
    expect(outage.outcome.accepted.size).toBe(EVENTS);
    expect(exited).toEqual([]);
    expectExactlyOnce(settled);
  });
});
