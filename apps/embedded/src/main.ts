import { startTelemetry } from '@kairos/telemetry/bootstrap';
// Telemetry starts before anything else is imported so instrumentation can patch modules.
startTelemetry('embedded');

import { KAIROS_CONFIG, type KairosConfig } from '@kairos/config';
import { runKairosApp } from '@kairos/platform';
import { embeddedApp } from './embedded.app';
import { startupBanner } from './startup-banner';

void runKairosApp(embeddedApp).then((app) => {
  process.stdout.write(`${startupBanner(app.get<KairosConfig>(KAIROS_CONFIG))}\n`);
});
