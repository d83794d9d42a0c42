import { type AppName } from '@kairos/config';
import { type AppProcess } from '../support/app-process';
import { describeWithInfra, eventually } from '../support/infra';
import { metricValue } from '../support/metrics';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, percent, reportChaos, type ReportRow } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { describeExactCounts, expectExactlyOnce, settleAndCount } from './support/exactly-once';
import { ResilientSender } from './support/resilient-sender';

// Long enough that two app starts and a rebalance fit in the first half on a busy 2-core machine.
const EVENTS = chaosSetting('REBALANCE_EVENTS', 8_000);
const RATE = chaosSetting('RATE', 400);
const SCALED: readonly AppName[] = ['feature', 'recommender'];
/** A metric each consumer moves once per batch it processed. */
const BATCH_METRIC: Record<string, string> = {
  feature: 'kairos_feature_batch_size_count',
  recommender: 'kairos_recommender_inference_batch_users_count',
};

/**
 * Feature and recommender go from one instance to two and back to one mid-stream (the original
 * is stopped, so partitions move both ways): nothing accepted is lost or counted twice, and the
 * added instances really processed batches while they were there.
 */
describeWithInfra('chaos: scaling consumers 1 → 2 → 1 mid-stream', ['kafka', 'mongo'], () => {
  jest.setTimeout(10 * 60_000);
  const stack = new ChaosStack('chaos-rebalance');

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('keeps exact counts and fresh recommendations through both rebalances', async () => {
    const events = clientStream(EVENTS, EVENTS / 20, stack.harness.prefix.replace(/\W/g, ''));
    const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: RATE });
    const sending = sender.send(events);
    const reached = (fraction: number) =>
      eventually(
        () => (sender.acceptedCount >= EVENTS * fraction ? sender.acceptedCount : undefined),
        {
          timeoutMs: 120_000,
          intervalMs: 50,
          what: `${fraction * 100}% of the stream`,
        },
      );

    const upAt = await reached(0.1);
    await Promise.all(SCALED.map((app) => stack.scale(app, 2)));
    const added = new Map(SCALED.map((app) => [app, stack.instances(app)[1]]));
    const downAt = Math.max(await reached(0.5), sender.acceptedCount);
    const lagAtDown = await stack.totalLag();
    const whileTwo = new Map<AppName, number>();
    for (const app of SCALED) whileTwo.set(app, await batchesDone(added.get(app), app));
    await Promise.all(SCALED.map((app) => stack.scale(app, 1)));
    const outcome = await sending;

    const settled = await settleAndCount(stack, outcome);
    const atEnd = new Map<AppName, number>();
    for (const app of SCALED) atEnd.set(app, await batchesDone(added.get(app), app));

    const rows: ReportRow[] = SCALED.map((app) => ({
      fault: `${app} 1 → 2 → 1`,
      injected: `second instance at ${percent(upAt, EVENTS)}, first stopped at ${percent(downAt, EVENTS)} (lag then ${lagAtDown})`,
      observed: `added instance: ${whileTwo.get(app)} batches while two ran, ${atEnd.get(app)} in all (it took over the first one's partitions)`,
    }));
    rows.push({
      fault: 'pipeline',
      injected: `${EVENTS} events at ${RATE}/s`,
      observed: `${outcome.accepted.size} accepted; ${describeExactCounts(settled)}`,
    });
    reportChaos('rebalance', `events=${EVENTS} rate=${RATE}/s`, rows);

    for (const app of SCALED) expect(atEnd.get(app)).toBeGreaterThan(whileTwo.get(app) ?? 0);
    // The scale-down happened mid-stream: clients still sending, or the consumers still behind.
    expect(downAt < EVENTS || lagAtDown > 0).toBe(true);
    expect(outcome.unexpected).toEqual([]);
    expect(outcome.accepted.size).toBe(EVENTS);
    expectExactlyOnce(settled);
  });
});

/** Batches an instance has processed so far. */
async function batchesDone(instance: AppProcess | undefined, app: AppName): Promise<number> {
  if (instance === undefined) return 0;
  const exposition = await (await fetch(`${instance.baseUrl}/metrics`)).text();
  return metricValue(exposition, BATCH_METRIC[app] ?? '') ?? 0;
}
