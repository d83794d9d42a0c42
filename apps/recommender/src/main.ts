import { startTelemetry } from '@kairos/telemetry/bootstrap';
// Telemetry starts before anything else is imported so instrumentation can patch modules.
startTelemetry('recommender');

import { runKairosApp } from '@kairos/platform';
import { recommenderApp } from './recommender.app';

void runKairosApp(recommenderApp);
