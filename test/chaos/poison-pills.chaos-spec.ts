import { Topic, type TopicName } from '@kairos/contracts';
import { DeadLetterHeader, physicalTopic } from '@kairos/messaging';
import { missingDeadLetterHeaders } from '../support/dead-letters';
import { describeWithInfra, eventually } from '../support/infra';
import { readTopic, type TopicRecord } from '../support/topic-reader';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, reportChaos, type ReportRow } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import {
  EVENT_POISON,
  isPoisonOf,
  type PoisonKind,
  requireKcat,
  SESSION_FEATURES_POISON,
  writeWithKcat,
} from './support/poison-pills';
import { describeExactCounts, expectExactlyOnce, settleAndCount } from './support/exactly-once';
import { ResilientSender } from './support/resilient-sender';

const EVENTS = chaosSetting('OUTAGE_EVENTS', 4_000);
const RATE = chaosSetting('RATE', 400);
/** 700 on `events` and 300 on `session-features`: the issue's 1,000. */
const PER_KIND = new Map<PoisonKind, number>([
  ...EVENT_POISON.map((kind): [PoisonKind, number] => [kind, kind.asFiles === true ? 14 : 98]),
  ...SESSION_FEATURES_POISON.map((kind): [PoisonKind, number] => [kind, 100]),
]);

/**
 * 1,000 records no consumer can process, written straight to `events` and `session-features` with
 * kcat while clients stream through ingest: every one ends in its topic's DLQ with a reason, and
 * the real events are still counted exactly once with fresh recommendations.
 */
describeWithInfra(
  'chaos: poison pills from an independent Kafka client',
  ['kafka', 'mongo'],
  () => {
    jest.setTimeout(10 * 60_000);
    const stack = new ChaosStack('chaos-poison');

    beforeAll(async () => {
      requireKcat();
      await stack.start();
    });
    afterAll(() => stack.stop());

    it('sends every pill to the DLQ with its reason and keeps the pipeline going', async () => {
      const brokers = stack.harness.config.kafka.brokers.join(',');
      const prefix = stack.harness.prefix;
      const events = clientStream(EVENTS, EVENTS / 20, prefix.replace(/\W/g, ''));
      const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: RATE });
      const sending = sender.send(events);
      await eventually(() => (sender.acceptedCount >= EVENTS / 4 ? true : undefined), {
        timeoutMs: 120_000,
        what: 'a quarter of the stream before the poison',
      });
      const expected = {
        [Topic.EventsDlq]: new Map<string, number>(),
        [Topic.SessionFeaturesDlq]: new Map<string, number>(),
      };
      let written = 0;
      for (const [kind, count] of PER_KIND) {
        const source = EVENT_POISON.includes(kind) ? Topic.Events : Topic.SessionFeatures;
        const dlq = source === Topic.Events ? Topic.EventsDlq : Topic.SessionFeaturesDlq;
        written += writeWithKcat(brokers, physicalTopic(prefix, source), kind, count).length;
        expected[dlq].set(kind.expectedCode, (expected[dlq].get(kind.expectedCode) ?? 0) + count);
      }
      const outcome = await sending;

      const { sessions, stale } = await settleAndCount(stack, outcome);
      const lettersOf = async (
        dlq: typeof Topic.EventsDlq | typeof Topic.SessionFeaturesDlq,
        source: TopicName,
      ) => {
        const want = [...expected[dlq].values()].reduce((sum, n) => sum + n, 0);
        const records = await readTopic(
          stack.harness.config.kafka,
          physicalTopic(prefix, dlq),
          (found) => found.length >= want,
          120_000,
        );
        return {
          want,
          records,
          codes: countCodes(records),
          unexplained: records.filter(
            (record) => missingDeadLetterHeaders(record, physicalTopic(prefix, source)).length > 0,
          ).length,
        };
      };
      const eventsDlq = await lettersOf(Topic.EventsDlq, Topic.Events);
      const featuresDlq = await lettersOf(Topic.SessionFeaturesDlq, Topic.SessionFeatures);

      const perKind = [...PER_KIND].map(([kind, count]) => {
        const inEvents = EVENT_POISON.includes(kind);
        const letters = (inEvents ? eventsDlq : featuresDlq).records.filter((record) =>
          isPoisonOf(kind, record.key),
        );
        return { kind, count, inEvents, letters, codes: countCodes(letters) };
      });
      const rows: ReportRow[] = perKind.map(({ kind, count, inEvents, letters, codes }) => ({
        fault: `kcat → ${inEvents ? 'events' : 'session-features'}`,
        injected: `${count} x ${kind.name}`,
        observed: `${letters.length} in ${inEvents ? 'events' : 'session-features'}.dlq: ${Object.entries(
          codes,
        )
          .map(([code, n]) => `${n} ${code}`)
          .join(', ')}`,
      }));
      rows.push(
        {
          fault: 'events.dlq',
          injected: `${eventsDlq.want} pills`,
          observed: `${eventsDlq.records.length} records ${JSON.stringify(eventsDlq.codes)}, ${eventsDlq.unexplained} without reason or source`,
        },
        {
          fault: 'session-features.dlq',
          injected: `${featuresDlq.want} pills`,
          observed: `${featuresDlq.records.length} records ${JSON.stringify(featuresDlq.codes)}, ${featuresDlq.unexplained} without reason or source`,
        },
        {
          fault: 'pipeline',
          injected: `${EVENTS} real events around the pills`,
          observed: describeExactCounts({ sessions, stale }),
        },
      );
      reportChaos('poison pills', `${written} pills, events=${EVENTS}`, rows);

      expect(written).toBe(1_000);
      for (const { kind, count, codes } of perKind) {
        expect({ kind: kind.name, codes }).toEqual({
          kind: kind.name,
          codes: { [kind.expectedCode]: count },
        });
      }
      expect(eventsDlq.codes).toEqual(Object.fromEntries(expected[Topic.EventsDlq]));
      expect(featuresDlq.codes).toEqual(Object.fromEntries(expected[Topic.SessionFeaturesDlq]));
      expect(eventsDlq.unexplained + featuresDlq.unexplained).toBe(0);
      expect(outcome.unexpected).toEqual([]);
      expectExactlyOnce({ sessions, stale });
    });
  },
);

function countCodes(records: readonly TopicRecord[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const record of records) {
    const code = record.headers[DeadLetterHeader.ErrorCode] ?? 'none';
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}
