import { Logger } from '@nestjs/common';
import { TraceFlags } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { type SpanBatching } from '@kairos/config';
import {
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Batches finished spans and exports them off the request path, like the SDK's
 * BatchSpanProcessor, but without entering a context to export. That one runs every export in
 * `context.with(suppressTracing(...))`, and the first `context.with` of a process switches on
 * AsyncLocalStorage's promise hooks for good: from then on every promise of every request pays
 * for them, sampled or not (in ingest, which enters no other context, about 10% of its throughput;
 * bench/telemetry/README.md). Suppressing is not needed: no app instruments outgoing
 * HTTP, the exporter's transport (instrumentations.ts).
 *
 * One export runs at a time; a full batch goes at once, a partial one after the delay. When the
 * queue is full, new spans are dropped, never waited for, and the drops are logged and counted.
 * Settings are the OTEL_BSP_* variables, read as the SDK's processor reads them.
 */
export class SpanBatcher implements SpanProcessor {
  // Nest's logger: the app's format (JSON lines) once Nest runs; the SDK's `diag` goes nowhere
  // unless OTEL_LOG_LEVEL is set.
  private readonly logger = new Logger('tracing');
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private droppedSinceLog = 0;
  private dropped = 0;
  private stopped = false;

  private readonly batching: SpanBatching;

  constructor(
    private readonly exporter: SpanExporter,
    batching: SpanBatching,
  ) {
    // As the SDK does: a batch larger than the queue could never fill.
    this.batching = {
      ...batching,
      maxExportBatchSize: Math.min(batching.maxExportBatchSize, batching.maxQueueSize),
    };
  }

  /** Spans dropped so far because the queue was full or their export failed. */
  get droppedSpans(): number {
    return this.dropped;
  }

  onStart(): void {
    // Nothing to do until the span ends.
  }

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.batching.maxQueueSize) {
      this.drop();
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.batching.maxExportBatchSize) void this.drain(false);
    else this.startTimer();
  }

  async forceFlush(): Promise<void> {
    while (this.draining !== null || this.queue.length > 0) await this.drain(true);
  }

  /**
   * Stops taking spans, then exports what is queued, for at most one export timeout in all (a
   * collector that does not answer must not hold the process past its grace period).
   */
  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      this.forceFlush(),
      new Promise<void>((resolve) => {
        deadline = setTimeout(resolve, this.batching.exportTimeoutMs).unref();
      }),
    ]);
    clearTimeout(deadline);
    const unsent = this.queue.length;
    if (unsent > 0) {
      this.queue = [];
      this.dropped += unsent;
      this.logger.warn(`shut down with ${unsent} span(s) not exported`);
    }
    await this.exporter.shutdown();
  }

  private startTimer(): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.drain(true);
    }, this.batching.scheduleDelayMs).unref();
  }

  /**
   * Exports full batches, and with `partial` the rest too (after the delay, or on a flush); a
   * call while one runs joins it. Spans left over wait for the timer. Never rejects.
   */
  private drain(partial: boolean): Promise<void> {
    this.draining ??= this.exportQueued(partial).finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.startTimer();
    });
    return this.draining;
  }

  private async exportQueued(partial: boolean): Promise<void> {
    const { maxExportBatchSize } = this.batching;
    while (this.queue.length >= maxExportBatchSize || (partial && this.queue.length > 0)) {
      await this.export(this.queue.splice(0, maxExportBatchSize));
    }
  }

  private export(spans: ReadableSpan[]): Promise<void> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (failure: string | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (failure !== null) {
          this.logger.error(`span export failed, ${spans.length} span(s) dropped: ${failure}`);
          this.dropped += spans.length;
        }
        resolve();
      };
      const deadline = setTimeout(
        () => settle(`no answer within ${this.batching.exportTimeoutMs} ms`),
        this.batching.exportTimeoutMs,
      ).unref();
      try {
        this.exporter.export(spans, (result) =>
          settle(
            result.code === ExportResultCode.SUCCESS ? null : String(result.error ?? 'failed'),
          ),
        );
      } catch (error) {
        settle(String(error));
      }
    });
  }

  private drop(): void {
    this.dropped += 1;
    // One line per burst of drops, not one per span.
    if (this.droppedSinceLog++ === 0) {
      setTimeout(() => {
        this.logger.warn(
          `span export queue full (${this.batching.maxQueueSize}): ${this.droppedSinceLog} span(s) dropped; raise OTEL_BSP_MAX_QUEUE_SIZE or lower the sampling ratio`,
        );
        this.droppedSinceLog = 0;
      }, 1_000).unref();
    }
  }
}
