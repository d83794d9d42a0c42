import { type DynamicModule, Module } from '@nestjs/common';
import { type KairosConfig } from '@kairos/config';
import { IngestModule } from '../../ingest/src/ingest.app';
import { DemoCatalogSeeder } from './catalog/demo-catalog.seeder';
import { StateCheckpointService } from './checkpoint/state-checkpoint.service';

/**
 * What only the embedded mode has: the state checkpoint over the in-process log and memory
 * stores, and the demo catalog. With KAIROS_MODE=distributed the composed app runs without it.
 */
@Module({})
export class EmbeddedRuntimeModule {
  static forRoot(config: KairosConfig): DynamicModule[] {
    if (config.mode !== 'embedded') return [];
    return [
      {
        module: EmbeddedRuntimeModule,
        imports: [IngestModule],
        providers: [StateCheckpointService, DemoCatalogSeeder],
      },
    ];
  }
}
