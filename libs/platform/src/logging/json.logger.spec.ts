import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { logInTrace, traceFromHeaders } from '@kairos/http';
import { JsonLogger } from './json.logger';

describe('JsonLogger', () => {
  const lines: string[] = [];
  const logger = new JsonLogger('feature', ['log', 'warn', 'error'], (line) => lines.push(line));
  const parsed = (): Record<string, unknown>[] =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());
  beforeEach(() => lines.splice(0));

  it('writes one JSON object per line with the context and the active trace and span ids', () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () =>
      logger.log('batch applied', 'events'),
    );
    logger.warn('outside any span', 'lag');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'feature',
        context: 'events',
        message: 'batch applied',
        trace_id: spanContext.traceId,
        span_id: spanContext.spanId,
      }),
      expect.not.objectContaining({ trace_id: expect.anything() }),
    ]);
  });

  it("gives lines logged for a request outside its context that request's ids", () => {
    const trace = traceFromHeaders(`00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`, undefined);
    logInTrace(trace, () => logger.log('accepted 1 event(s)', 'events'));
    logger.log('after', 'events');
    expect(parsed()).toEqual([
      expect.objectContaining({ trace_id: 'c'.repeat(32), span_id: trace.spanId }),
      expect.not.objectContaining({ trace_id: expect.anything() }),
    ]);
  });

  it('keeps the stack of errors and drops disabled levels', () => {
    logger.error('write failed', 'Error: boom\n    at x', 'storage');
    logger.debug('not shown', 'storage');
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'storage',
        message: 'write failed',
        stack: 'Error: boom\n    at x',
      }),
    ]);
  });
});
