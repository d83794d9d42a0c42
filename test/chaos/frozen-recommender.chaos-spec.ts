import { type AppProcess } from '../support/app-process';
import { describeWithInfra, eventually } from '../support/infra';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, percent, reportChaos } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { ResilientSender } from './support/resilient-sender';
import { Topic } from '@kairos/contracts';

const EVENTS = chaosSetting('OUTAGE_EVENTS', 4_000);
const RATE = chaosSetting('RATE', 400);

/**
 * A recommender stops dead mid-batch (SIGSTOP: a long GC pause, a frozen VM) for longer than the
 * session timeout. Its partitions move to the other replica, which processes the rest of the
 * stream. When the frozen one resumes, it finishes the batch it was in: the lists it computed
 * from older snapshots must not replace the newer ones, in MongoDB or in any replica's answers.
 */
describeWithInfra(
  'chaos: a frozen recommender resumes after its partitions moved',
  ['kafka', 'mongo'],
  () => {
    jest.setTimeout(10 * 60_000);
    const stack = new ChaosStack('chaos-freeze');

    beforeAll(async () => {
      await stack.start();
      await stack.scale('recommender', 2);
    });
    afterAll(async () => {
      stack.instances('recommender')[0]?.child.kill('SIGCONT');
      await stack.stop();
    });

    it('never lets a resumed replica overwrite newer recommendations', async () => {
      const events = clientStream(EVENTS, EVENTS / 20, stack.harness.prefix.replace(/\W/g, ''));
      const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: RATE });
      const sending = sender.send(events);
      const frozen = stack.instances('recommender')[0] as AppProcess;
      const recommenderLag = () => stack.harness.lag('recommender', Topic.SessionFeatures);
      // Freeze while the replica has work in hand, so it stops inside a batch.
      const frozenAt = await eventually(
        async () =>
          sender.acceptedCount >= EVENTS * 0.6 && (await recommenderLag()) > 0
            ? sender.acceptedCount
            : undefined,
        { timeoutMs: 120_000, intervalMs: 20, what: 'a busy recommender late in the stream' },
      );
      frozen.child.kill('SIGSTOP');
      const frozenStarted = performance.now();
      const outcome = await sending;
      // The other replica takes over once the session times out and finishes the whole stream.
      await eventually(async () => ((await stack.totalLag()) === 0 ? true : undefined), {
        timeoutMs: 180_000,
        intervalMs: 500,
        what: 'the other replica to process everything',
      });
      const staleBeforeResume = await stack.staleStoredRecommendations(outcome.lastEventOf);
      frozen.child.kill('SIGCONT');
      const frozenMs = performance.now() - frozenStarted;
      // Let it finish its batch, fail its commit, rejoin and settle.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      await eventually(async () => ((await stack.totalLag()) === 0 ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: 'the group to settle after the resume',
      });
      const staleStored = await stack.staleStoredRecommendations(outcome.lastEventOf);
      const staleServed = await stack.staleRecommendations(outcome.lastEventOf);

      reportChaos('frozen recommender', `events=${EVENTS} rate=${RATE}/s, 2 recommenders`, [
        {
          fault: 'SIGSTOP one recommender',
          injected: `at ${percent(frozenAt, EVENTS)} of the stream, for ${(frozenMs / 1_000).toFixed(1)} s, then SIGCONT`,
          observed: `before the resume ${staleBeforeResume.length} stale lists in MongoDB; after it ${staleStored.length} in MongoDB, ${staleServed.length} stale answers from the 2 replicas`,
        },
      ]);

      expect(staleBeforeResume.slice(0, 5)).toEqual([]);
      expect(staleStored.slice(0, 5)).toEqual([]);
      expect(staleServed.slice(0, 5)).toEqual([]);
    });
  },
);
