import { type AppName } from '@kairos/config';

/**
 * Starts tracing before Nest loads, so auto-instrumentation can patch modules as they are
 * required. The OpenTelemetry NodeSDK is wired in by the observability issue; until then this
 * only fixes the call site every main.ts uses, so that change touches one file.
 */
export function startTelemetry(app: AppName): { readonly serviceName: string } {
  return { serviceName: `kairos-${app}` };
}
