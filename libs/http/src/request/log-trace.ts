import { type RequestTrace } from './trace-context';

let current: RequestTrace | null = null;

/**
 * Runs `log` (synchronous log calls) so the JSON lines it writes carry `trace`'s ids. For lines
 * about a request written outside its trace context: the hooks that run after the response,
 * and apps whose handlers take their trace from the request instead of running in it (see
 * `AppDefinition.handlersTakeRequestTrace`). Logging is synchronous, so a variable suffices.
 */
export function logInTrace(trace: RequestTrace | null, log: () => void): void {
  const outer = current;
  current = trace;
  try {
    log();
  } finally {
    current = outer;
  }
}

/** The trace `logInTrace` is logging for, if any (read by the JSON logger). */
export function loggingTrace(): RequestTrace | null {
  return current;
}
