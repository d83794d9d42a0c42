import { type MongoDBInstrumentationConfig } from '@opentelemetry/instrumentation-mongodb';
import { boundedStatement } from './db-statement';
import { kairosInstrumentations } from './instrumentations';

describe('kairosInstrumentations', () => {
  it('patches the MongoDB driver and mongoose in the apps that use MongoDB', () => {
    for (const app of ['feature', 'recommender'] as const) {
      const instrumentations = kairosInstrumentations(app);
      // Constructing one enables it; undo that so no hook outlives the test.
      instrumentations.forEach((instrumentation) => instrumentation.disable());
      expect(
        instrumentations.map((instrumentation) => instrumentation.instrumentationName),
      ).toEqual([
        '@opentelemetry/instrumentation-mongodb',
        '@opentelemetry/instrumentation-mongoose',
      ]);
      const driver = instrumentations[0]?.getConfig() as MongoDBInstrumentationConfig;
      expect(driver.requireParentSpan).toBe(true);
      expect(driver.dbStatementSerializer).toBe(boundedStatement);
    }
  });

  it('patches nothing (no require hook at all) in ingest and the embedded app', () => {
    expect(kairosInstrumentations('ingest')).toEqual([]);
    expect(kairosInstrumentations('embedded')).toEqual([]);
  });
});
