import { type Context, context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Logger } from '@nestjs/common';
import { SpanBatcher } from './span-batcher';

/** What the processor reads of a span: its context (sampled or not). */
function span(n: number, sampled = true): ReadableSpan {
  const spanContext = {
    traceId: n.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    traceFlags: sampled ? 1 : 0,
  };
  return { name: `s${n}`, spanContext: () => spanContext } as unknown as ReadableSpan;
}

/** Records each export; answers as `answer` says (or never, for `hang`). */
class RecordingExporter implements SpanExporter {
  readonly batches: string[][] = [];
  answer: 'ok' | 'fail' | 'hang' = 'ok';
  shutDown = false;

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans.map((s) => s.name));
    if (this.answer === 'hang') return;
    setImmediate(() =>
      done(
        this.answer === 'ok'
          ? { code: ExportResultCode.SUCCESS }
          : { code: ExportResultCode.FAILED, error: new Error('collector down') },
      ),
    );
  }

  shutdown(): Promise<void> {
    this.shutDown = true;
    return Promise.resolve();
  }
}

const batching = {
  scheduleDelayMs: 30,
  exportTimeoutMs: 100,
  maxQueueSize: 5,
  maxExportBatchSize: 3,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SpanBatcher', () => {
  // The failures below are expected; their log lines are not what is checked.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  it('exports a partial batch after the delay, a full one at once, and nothing unsampled', async () => {
    const exporter = new RecordingExporter();
    const batcher = new SpanBatcher(exporter, batching);
    batcher.onEnd(span(1));
    batcher.onEnd(span(2, false));
    expect(exporter.batches).toEqual([]);
    await sleep(60);
    expect(exporter.batches).toEqual([['s1']]);
    for (const n of [3, 4, 5]) batcher.onEnd(span(n));
    expect(exporter.batches).toEqual([['s1'], ['s3', 's4', 's5']]);
    await batcher.shutdown();
    expect(exporter.shutDown).toBe(true);
    batcher.onEnd(span(6));
    await sleep(60);
    expect(exporter.batches).toHaveLength(2);
  });

  it('caps a batch at the queue size', () => {
    const exporter = new RecordingExporter();
    const batcher = new SpanBatcher(exporter, { ...batching, maxExportBatchSize: 50 });
    for (let n = 1; n <= 5; n += 1) batcher.onEnd(span(n));
    expect(exporter.batches).toEqual([['s1', 's2', 's3', 's4', 's5']]);
  });

  it('gives up on a silent collector at shutdown after one export timeout, counting the rest', async () => {
    const exporter = new RecordingExporter();
    exporter.answer = 'hang';
    const batcher = new SpanBatcher(exporter, { ...batching, maxQueueSize: 20 });
    // Six batches of three behind a collector that never answers: 600 ms one after another.
    for (let n = 1; n <= 18; n += 1) batcher.onEnd(span(n));
    const started = Date.now();
    await batcher.shutdown();
    expect(Date.now() - started).toBeLessThan(batching.exportTimeoutMs * 2.5);
    expect(exporter.shutDown).toBe(true);
    expect(batcher.droppedSpans).toBeGreaterThanOrEqual(12);
  });

  it('lets spans that end during an export wait for a full batch or the delay', async () => {
    const exporter = new RecordingExporter();
    const batcher = new SpanBatcher(exporter, batching);
    for (const n of [1, 2, 3, 4]) batcher.onEnd(span(n));
    await sleep(5);
    expect(exporter.batches).toEqual([['s1', 's2', 's3']]);
    await sleep(60);
    expect(exporter.batches).toEqual([['s1', 's2', 's3'], ['s4']]);
  });

  it('drops what does not fit in the queue, counts it, and exports the rest on flush', async () => {
    const exporter = new RecordingExporter();
    exporter.answer = 'hang';
    const batcher = new SpanBatcher(exporter, batching);
    // The first full batch goes out (and hangs); 5 more fill the queue; 2 are dropped.
    for (let n = 1; n <= 10; n += 1) batcher.onEnd(span(n));
    expect(exporter.batches).toEqual([['s1', 's2', 's3']]);
    expect(batcher.droppedSpans).toBe(2);
    exporter.answer = 'ok';
    await batcher.forceFlush();
    // The hung export timed out: its 3 spans are counted as dropped too.
    expect(batcher.droppedSpans).toBe(5);
    expect(exporter.batches.slice(1)).toEqual([
      ['s4', 's5', 's6'],
      ['s7', 's8'],
    ]);
  });

  it('counts a failed export and goes on with the next batch', async () => {
    const exporter = new RecordingExporter();
    exporter.answer = 'fail';
    const batcher = new SpanBatcher(exporter, batching);
    for (const n of [1, 2, 3]) batcher.onEnd(span(n));
    await batcher.forceFlush();
    expect(batcher.droppedSpans).toBe(3);
    exporter.answer = 'ok';
    batcher.onEnd(span(4));
    await batcher.forceFlush();
    expect(exporter.batches).toEqual([['s1', 's2', 's3'], ['s4']]);
    expect(batcher.droppedSpans).toBe(3);
  });

  it('never enters a context (which would switch on the promise hooks for the process)', async () => {
    const inner = new AsyncLocalStorageContextManager();
    let entered = 0;
    const counting: ContextManager = {
      active: () => inner.active(),
      with: <A extends unknown[], F extends (...args: A) => ReturnType<F>>(
        ctx: Context,
        fn: F,
        thisArg?: ThisParameterType<F>,
        ...args: A
      ) => {
        entered += 1;
        return inner.with(ctx, fn, thisArg, ...args);
      },
      bind: (ctx, target) => inner.bind(ctx, target),
      enable: () => {
        inner.enable();
        return counting;
      },
      disable: () => {
        inner.disable();
        return counting;
      },
    };
    context.setGlobalContextManager(counting.enable());
    try {
      const exporter = new RecordingExporter();
      const batcher = new SpanBatcher(exporter, batching);
      for (const n of [1, 2, 3, 4]) batcher.onEnd(span(n));
      await batcher.forceFlush();
      expect(exporter.batches).toEqual([['s1', 's2', 's3'], ['s4']]);
      expect(entered).toBe(0);
      // The counter itself counts (so the assertion above can fail).
      context.with(ROOT_CONTEXT, () => undefined);
      expect(entered).toBe(1);
    } finally {
      context.disable();
    }
  });
});
