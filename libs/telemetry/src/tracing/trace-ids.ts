import { randomFillSync } from 'node:crypto';
import { type IdGenerator } from '@opentelemetry/sdk-trace-base';

const POOL_BYTES = 4096;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * Trace and span ids cut from a pool of crypto-random bytes refilled every 256 trace ids: one
 * native call per pool instead of the SDK's four `Math.random` draws and a buffer write per id.
 * The server span and the SDK share one instance (`idGenerator` of the NodeSDK), so a request
 * whose sampling the server span decided before any span exists keeps its trace id once the SDK
 * starts the span (`withTraceId`).
 */
export class PooledIdGenerator implements IdGenerator {
  private readonly pool = Buffer.allocUnsafe(POOL_BYTES);
  private offset = POOL_BYTES;
  private staged: string | null = null;

  generateTraceId(): string {
    const staged = this.staged;
    if (staged !== null) {
      this.staged = null;
      return staged;
    }
    return this.next(16, INVALID_TRACE_ID);
  }

  generateSpanId(): string {
    return this.next(8, INVALID_SPAN_ID);
  }

  /**
   * Runs `start` (which starts one root span, synchronously) with `traceId` as the trace id the
   * SDK draws: for a root whose sampler already ran on that id.
   */
  withTraceId<T>(traceId: string, start: () => T): T {
    this.staged = traceId;
    try {
      return start();
    } finally {
      this.staged = null;
    }
  }

  private next(bytes: number, invalid: string): string {
    for (;;) {
      if (this.offset + bytes > POOL_BYTES) {
        randomFillSync(this.pool);
        this.offset = 0;
      }
      const id = this.pool.toString('hex', this.offset, this.offset + bytes);
      this.offset += bytes;
      // All zeros is W3C's invalid id (one draw in 2^64 or rarer): draw again.
      if (id !== invalid) return id;
    }
  }
}
