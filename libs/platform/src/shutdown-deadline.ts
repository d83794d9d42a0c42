import { type EventEmitter } from 'node:events';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface ShutdownDeadlineOptions {
  readonly timeoutMs: number;
  /** Told why the process is about to exit; the app's logger in production. */
  readonly report: (message: string) => void;
  readonly signals?: EventEmitter;
  readonly exit?: (code: number) => void;
}

/**
 * Bounds a graceful stop. On SIGTERM or SIGINT, Nest runs the shutdown hooks (consumers leave
 * their groups, checkpoints flush, telemetry exports); if they have not finished within
 * `timeoutMs` (a MongoDB write that never answers, a consumer that cannot leave its group), the
 * process says so and exits with status 1 instead of hanging until an orchestrator's SIGKILL.
 * Nothing accepted is lost by that: offsets are committed only after the writes they cover, so
 * whatever was not committed is consumed again by the group.
 */
export function armShutdownDeadline({
  timeoutMs,
  report,
  signals = process,
  exit = (code) => process.exit(code),
}: ShutdownDeadlineOptions): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    signals.once(signal, () => {
      // Unref'd: a stop that finishes in time exits without waiting for this timer.
      setTimeout(() => {
        report(
          `graceful shutdown after ${signal} did not finish within ${timeoutMs} ms ` +
            `(KAIROS_SHUTDOWN_TIMEOUT_MS); exiting with status 1, uncommitted records will be consumed again`,
        );
        exit(1);
      }, timeoutMs).unref();
    });
  }
}
