import { type UserEventMessage } from '@kairos/contracts';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { digineticaStream, truthOf } from '../support/click-stream';
import { poisonEvents, readDeadLetters } from '../support/dead-letters';
import { FeatureHarness, mismatches } from '../support/feature-harness';
import {
  describeWithInfra,
  eventually,
  infraControl,
  infraIsManagedLocally,
} from '../support/infra';
import { readTopic } from '../support/topic-reader';

/** The stream plus client retries: every 50th event is sent again with the same eventId. */
function withClientRetries(events: readonly UserEventMessage[]): UserEventMessage[] {
  return events.flatMap((event, index) => (index % 50 === 0 ? [event, event] : [event]));
}

// Streams of thousands of events through a real broker and database: minutes, not seconds.
const STREAM_TEST_TIMEOUT_MS = 300_000;

describeWithInfra(
  'feature service against the real broker and MongoDB-protocol server',
  ['kafka', 'mongo'],
  () => {
    jest.setTimeout(STREAM_TEST_TIMEOUT_MS);
    let harness: FeatureHarness;
    const processes: AppProcess[] = [];
    let port = 3950;

    const startFeature = async (): Promise<AppProcess> => {
      const app = await startAppProcess('feature', harness.appEnv, port++);
      processes.push(app);
      return app;
    };

    beforeEach(async () => {
      harness = new FeatureHarness();
      await harness.start();
    });

    afterEach(async () => {
      await Promise.all(processes.splice(0).map((app) => app.stop()));
      await harness.stop();
    });

    it('counts every event exactly once across a kill -9 in the middle of a 20,000-event stream', async () => {
      const events = withClientRetries(digineticaStream(20_000));
      const truth = truthOf(events);
      const first = await startFeature();
      await harness.produce(events);
      // Crash once real progress was made and real work is left, so the crash lands mid-stream.
      await eventually(
        async () => {
          const stored = await harness.storedTotals();
          const done = [...stored.values()].reduce((sum, user) => sum + user.total, 0);
          return done > 2_000 ? done : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: 'some progress before the crash' },
      );
      expect(await harness.lag()).toBeGreaterThan(0);
      await first.crash();
      await startFeature();
      const stored = await harness.waitUntilCaughtUp(truth);
      expect(mismatches(truth, stored)).toEqual([]);
      expect(stored.size).toBe(truth.size);
    });

    it('sends poison pills to events.dlq with reasons and keeps the stream going', async () => {
      const events = digineticaStream(600);
      const truth = truthOf(events);
      await startFeature();
      const { records: poison, expectedCodes } = poisonEvents(events[0] ?? {});
      await harness.produce(events.slice(0, 300));
      await harness.produceRaw(poison);
      await harness.produce(events.slice(300));
      const stored = await harness.waitUntilCaughtUp(truth);
      expect(mismatches(truth, stored)).toEqual([]);

      const dead = await readDeadLetters(
        (done) => readTopic(harness.config.kafka, harness.dlqTopic(), done),
        poison.length,
        `${harness.prefix}events`,
      );
      expect(dead.records.map((record) => record.key).sort()).toEqual(
        poison.map((record) => record.key).sort(),
      );
      expect(dead.codeByKey).toEqual(expectedCodes);
      expect(dead.unexplained).toEqual([]);
      const original = dead.records.find((record) => record.key === 'p1');
      expect(original?.value).toBe('{not json');
    });

    it('pauses while the MongoDB-protocol server is down for 10 s and ends with the exact counts', async () => {
      if (!infraIsManagedLocally())
        throw new Error('stopping MongoDB needs services started by scripts/infra/up.sh');
      const events = withClientRetries(digineticaStream(8_000));
      const truth = truthOf(events);
      await startFeature();
      await harness.produce(events.slice(0, 3_000));
      await eventually(async () => ((await harness.storedTotals()).size > 50 ? true : undefined), {
        what: 'progress',
      });
      infraControl('down', 'mongo');
      try {
        await harness.produce(events.slice(3_000));
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      } finally {
        infraControl('up', 'mongo');
      }
      const stored = await harness.waitUntilCaughtUp(truth);
      expect(mismatches(truth, stored)).toEqual([]);
    });

    it('shares the partitions between two instances with the exact counts', async () => {
      const events = withClientRetries(digineticaStream(10_000));
      const truth = truthOf(events);
      const [a, b] = await Promise.all([startFeature(), startFeature()]);
      await harness.produce(events);
      const stored = await harness.waitUntilCaughtUp(truth);
      expect(mismatches(truth, stored)).toEqual([]);
      // Both really worked: each consumed some partitions (seen in their batch metrics).
      for (const app of [a, b]) {
        const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
        expect(metrics).toMatch(/kairos_feature_batch_size_count\{app="feature"\} [1-9]/);
      }
    });
  },
);
