import { recordTraceHeaders, traceFromHeaders } from './trace-context';

describe('request trace context', () => {
  const caller = `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`;

  it("continues the caller's trace and passes its state and baggage on to records", () => {
    const trace = traceFromHeaders(caller, 'vendor=1', 'tenant=acme,plan=pro');
    expect(trace.traceId).toBe('a'.repeat(32));
    expect(recordTraceHeaders(trace)).toEqual({
      traceparent: trace.traceparent,
      tracestate: 'vendor=1',
      baggage: 'tenant=acme,plan=pro',
    });
  });

  it('starts a trace of its own and drops baggage beyond the W3C limit or given twice', () => {
    const oversized = traceFromHeaders(undefined, undefined, `k=${'v'.repeat(8_200)}`);
    expect(oversized.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(recordTraceHeaders(oversized)).toEqual({ traceparent: oversized.traceparent });
    expect(traceFromHeaders(caller, undefined, ['a=1', 'b=2']).baggage).toBeUndefined();
  });
});
