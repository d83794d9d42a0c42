/**
 * bench/telemetry/db-statement: what `db.query.text` costs for the recommender's list write (an
 * `update` of `--lists` version-guarded replacements of 100 scored items, as
 * MongoRecommendationRepository.saveMany sends it), built by our bounded serializer and by the
 * MongoDB instrumentation's default one (the reference, in the same run). Prints the statement's
 * length and the median time per statement over `--runs`; never passes or fails.
 *
 *   npm run bench:telemetry:db-statement -- [--runs 7] [--lists 256]
 */
import { parseArgs } from 'node:util';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { boundedStatement } from '../../libs/telemetry/src/tracing/db-statement';
import { machineDescription, median } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    lists: { type: 'string', default: '256' },
  },
});
const RUNS = Number(args.runs);
const LISTS = Number(args.lists);

function listWrite(lists: number): Record<string, unknown> {
  return {
    update: 'recommendations',
    updates: Array.from({ length: lists }, (_, user) => ({
      q: {
        _id: `user-${user}`,
        $or: [
          { asOfVersion: { $lte: 3 } },
          { asOfVersion: null },
          { asOfVersion: { $exists: false } },
        ],
      },
      u: {
        items: Array.from({ length: 100 }, (_, item) => ({
          itemId: `sku-${item}`,
          score: Math.random(),
        })),
        model: { name: 'kairos-default', version: '1' },
        asOfEventId: `event-${user}`,
        asOfEventTime: Date.now(),
        asOfVersion: 3,
        computedAt: new Date(),
      },
      upsert: true,
    })),
    ordered: false,
  };
}

/** Median microseconds per statement, timing enough calls per run to last about 100 ms. */
function measure(serialize: (command: Record<string, unknown>) => string): {
  length: number;
  micros: number;
} {
  const command = listWrite(LISTS);
  let length = serialize(command).length;
  const started = performance.now();
  serialize(command);
  const calls = Math.max(1, Math.round(100 / Math.max(performance.now() - started, 0.001)));
  const perRun: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (let call = 0; call < calls; call++) length = serialize(command).length;
    perRun.push(((performance.now() - start) * 1_000) / calls);
  }
  return { length, micros: median(perRun) };
}

// The instrumentation is only constructed for its serializer: disabled, it patches nothing.
const instrumentation = new MongoDBInstrumentation({ enabled: false }) as unknown as {
  _defaultDbStatementSerializer(command: Record<string, unknown>): string;
};
console.log(
  `bench/telemetry/db-statement on ${machineDescription()}; ${RUNS} runs, ${LISTS} lists`,
);
const reference = measure((command) => instrumentation._defaultDbStatementSerializer(command));
const bounded = measure(boundedStatement);
console.log(`| serializer | statement chars | µs per statement (median) |`);
console.log(`| --- | --- | --- |`);
console.log(`| instrumentation default | ${reference.length} | ${reference.micros.toFixed(1)} |`);
console.log(`| boundedStatement | ${bounded.length} | ${bounded.micros.toFixed(1)} |`);
console.log(`bounded / default time: ${(bounded.micros / reference.micros).toFixed(5)}`);
