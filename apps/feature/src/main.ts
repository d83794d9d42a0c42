import { startTelemetry } from '@kairos/telemetry/bootstrap';
// Telemetry starts before anything else is imported so instrumentation can patch modules.
startTelemetry('feature');

import { runKairosApp } from '@kairos/platform';
import { featureApp } from './feature.app';

void runKairosApp(featureApp);
