import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type ActivationEvent,
  type ModelRef,
  type ModelRegistryHooks,
  type ModelVersionStatus,
  type RejectionReason,
  type StepTimings,
} from '@kairos/model';
import { METRICS_REGISTRY } from '@kairos/telemetry';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Model lifecycle metrics and logs, fed by the registry's hooks. */
@Injectable()
export class ModelMetrics implements ModelRegistryHooks {
  private readonly logger = new Logger('models');
  private readonly activeVersion: Gauge<'model' | 'version'>;
  private readonly activations: Counter<'cause'>;
  private readonly loadFailures: Counter<'code'>;
  private readonly validationSeconds: Histogram<'step'>;
  private readonly inferenceSeconds: Histogram<'model' | 'version'>;
  private readonly inferenceFailures: Counter<'model' | 'version'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.activeVersion = new Gauge({
      name: 'kairos_model_active_info',
      help: 'The model version serving (value 1)',
      labelNames: ['model', 'version'],
      registers,
    });
    this.activations = new Counter({
      name: 'kairos_model_activations_total',
      help: 'Model activations, by cause (automatic, operator, rollback)',
      labelNames: ['cause'],
      registers,
    });
    this.loadFailures = new Counter({
      name: 'kairos_model_load_failures_total',
      help: 'Model versions refused by validation, by reason code',
      labelNames: ['code'],
      registers,
    });
    this.validationSeconds = new Histogram({
      name: 'kairos_model_validation_seconds',
      help: 'Time per validation step of a model version',
      labelNames: ['step'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.inferenceSeconds = new Histogram({
      name: 'kairos_model_inference_seconds',
      help: 'Inference latency per batch, by model version',
      labelNames: ['model', 'version'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.inferenceFailures = new Counter({
      name: 'kairos_model_inference_failures_total',
      help: 'Inference batches that failed, by model version',
      labelNames: ['model', 'version'],
      registers,
    });
  }

  validated(ref: ModelRef, status: ModelVersionStatus, timings: StepTimings): void {
    for (const [step, ms] of Object.entries(timings))
      this.validationSeconds.observe({ step }, ms / 1000);
    if (status === 'pending') this.logger.debug(`${ref.name}/${ref.version} is still being copied`);
  }

  rejected(ref: ModelRef, reason: RejectionReason): void {
    this.loadFailures.inc({ code: reason.code });
    this.logger.warn(`refused model ${ref.name}/${ref.version}: ${reason.code}: ${reason.message}`);
  }

  activated(event: ActivationEvent): void {
    this.activeVersion.reset();
    this.activeVersion.set({ model: event.model.name, version: event.model.version }, 1);
    this.activations.inc({ cause: event.cause });
    const previous =
      event.previous === null ? '' : ` (was ${event.previous.name}/${event.previous.version})`;
    this.logger.log(
      `serving model ${event.model.name}/${event.model.version}${previous}, ${event.cause}`,
    );
  }

  inferred(ref: ModelRef, seconds: number, failed: boolean): void {
    const labels = { model: ref.name, version: ref.version };
    this.inferenceSeconds.observe(labels, seconds);
    if (failed) this.inferenceFailures.inc(labels);
  }

  failed(what: string, error: unknown): void {
    this.logger.error(
      `model registry ${what} failed`,
      error instanceof Error ? error.stack : String(error),
    );
  }
}
