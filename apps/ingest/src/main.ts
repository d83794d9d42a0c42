import { startTelemetry } from '@kairos/telemetry/bootstrap';
// Telemetry starts before anything else is imported so instrumentation can patch modules.
startTelemetry('ingest');

import { runKairosApp } from '@kairos/platform';
import { ingestApp } from './ingest.app';

void runKairosApp(ingestApp);
