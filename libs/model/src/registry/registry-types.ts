import { type ModelLimits } from '../validation/model-limits';
import { type RejectionReason } from '../validation/rejection';
import { type StepTimings } from '../validation/validate-version';
import { type ModelRunner } from '../contract/model-runner';

export type ModelVersionStatus = 'pending' | 'ready' | 'active' | 'rejected';

export interface ModelRef {
  readonly name: string;
  readonly version: string;
}

/** What GET /v1/models shows for one version. */
export interface ModelVersionInfo extends ModelRef {
  readonly status: ModelVersionStatus;
  /** Why it was refused (rejected) or what it is waiting for (pending); null otherwise. */
  readonly reason: RejectionReason | null;
  readonly created: string | null;
  readonly vocabularySize: number | null;
  readonly embeddingDimension: number | null;
  readonly discoveredAt: string;
  /** Last time it was loaded and passed validation. */
  readonly loadedAt: string | null;
  readonly activatedAt: string | null;
  /** Milliseconds per validation step of the last validation, and their sum. */
  readonly validation: { readonly stepsMs: StepTimings; readonly totalMs: number } | null;
}

export interface RegistrySnapshot {
  readonly modelDir: string;
  readonly active: ModelRef | null;
  /** True when an operator chose the active version (activate or rollback). */
  readonly pinned: boolean;
  readonly versions: readonly ModelVersionInfo[];
}

/** The model serving right now, as handed to one batch. */
export interface ActiveModel extends ModelRef {
  readonly runner: ModelRunner;
}

export interface ActivationEvent {
  readonly model: ActiveModel;
  readonly previous: ModelRef | null;
  readonly cause: 'automatic' | 'operator' | 'rollback';
}

export interface ModelRegistryOptions {
  readonly modelDir: string;
  readonly pollIntervalMs: number;
  readonly smokeTimeoutMs: number;
  readonly intraOpNumThreads: number;
  readonly limits: ModelLimits;
  /** Wall clock for the timestamps shown to operators; injected so tests can pin it. */
  readonly now?: () => number;
}

/** Observability hooks (metrics, logs); every one is optional. */
export interface ModelRegistryHooks {
  validated?(ref: ModelRef, status: ModelVersionStatus, timings: StepTimings): void;
  rejected?(ref: ModelRef, reason: RejectionReason): void;
  activated?(event: ActivationEvent): void;
  inferred?(ref: ModelRef, seconds: number, failed: boolean): void;
  /** A scan or an activation listener threw; the registry carries on. */
  failed?(what: string, error: unknown): void;
}

export type ModelRegistryErrorCode = 'NOT_FOUND' | 'NOT_ACTIVATABLE' | 'NO_ACTIVE_MODEL';

/** An operator request the registry cannot honour; the active model is unchanged. */
export class ModelRegistryError extends Error {
  constructor(
    readonly code: ModelRegistryErrorCode,
    message: string,
    readonly reason?: RejectionReason,
  ) {
    super(message);
    this.name = 'ModelRegistryError';
  }
}
