import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModelRegistry } from '@kairos/model';

/**
 * Starts watching MODEL_DIR at boot (the first scan completes before the app listens, so a
 * valid model serves from the first request) and frees the sessions on shutdown.
 */
@Injectable()
export class ModelRegistryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('models');

  constructor(private readonly registry: ModelRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.start();
    const { modelDir, active, versions } = this.registry.snapshot();
    if (active === null) {
      this.logger.warn(
        `no valid model in ${modelDir} (${versions.length} version(s) seen); waiting for one to be copied in`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.stop();
  }
}
