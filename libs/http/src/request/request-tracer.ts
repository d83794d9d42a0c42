import { type IncomingHttpHeaders } from 'node:http';
import { type RequestTrace } from './trace-context';

/**
 * The tracing runtime as the HTTP layer sees it. libs/telemetry implements it (libs/http cannot
 * import telemetry, which imports http); the apps pass it in when tracing runs.
 */
export interface RequestTracer {
  /** Takes the sampling decision and starts the request's server span (recorded if sampled). */
  start(request: {
    readonly method: string;
    readonly url: string;
    readonly headers: IncomingHttpHeaders;
  }): TracedRequest;
}

/** One request's server span, recorded or not. */
export interface TracedRequest {
  /** The span's ids, to answer with and log; an unsampled request has them too. */
  readonly trace: RequestTrace;
  /** Whether the span is recorded (sampled); only then does it need ending. */
  readonly recording: boolean;
  /**
   * Runs the rest of the request: inside the span's context (for child spans and log ids) until
   * `finished` calls back (the response has gone), or, for an app whose handlers take the trace
   * from the request, as it is.
   */
  run(next: () => void, finished: (done: () => void) => void): void;
  /**
   * Runs `work` in the span's context, for a handler whose route does not enter it for the
   * whole request (`EntersTraceItself`) and needs it only on some paths.
   */
  enter<T>(work: () => Promise<T>): Promise<T>;
  /** Ends a recorded span, named after the matched route template when there is one. */
  end(outcome: { readonly statusCode: number; readonly route: string | null }): void;
}
