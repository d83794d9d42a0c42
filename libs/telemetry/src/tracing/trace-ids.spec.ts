import { PooledIdGenerator } from './trace-ids';

describe('PooledIdGenerator', () => {
  it('draws valid, distinct W3C ids across refills of its pool', () => {
    const ids = new PooledIdGenerator();
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    // 4096-byte pool: 1,000 of each crosses several refills.
    for (let i = 0; i < 1_000; i += 1) {
      traceIds.add(ids.generateTraceId());
      spanIds.add(ids.generateSpanId());
    }
    expect(traceIds.size).toBe(1_000);
    expect(spanIds.size).toBe(1_000);
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  });

  it('hands a staged trace id to the one root started inside withTraceId, and only to it', () => {
    const ids = new PooledIdGenerator();
    const staged = 'c'.repeat(32);
    const inside = ids.withTraceId(staged, () => [ids.generateTraceId(), ids.generateTraceId()]);
    expect(inside[0]).toBe(staged);
    expect(inside[1]).not.toBe(staged);
    // Not consumed inside (the tracer made no root): cleared anyway, even when start throws.
    expect(() =>
      ids.withTraceId(staged, () => {
        throw new Error('no span');
      }),
    ).toThrow('no span');
    expect(ids.generateTraceId()).not.toBe(staged);
  });
});
