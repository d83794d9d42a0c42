import { type ModelManifest } from '../contract/model-contract';
import { type RejectionReason } from '../validation/rejection';
import { type StepTimings, type ValidationOutcome } from '../validation/validate-version';
import { type ModelVersionInfo, type ModelVersionStatus } from './registry-types';

/** The registry's bookkeeping for one version directory. */
export interface VersionState {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  status: ModelVersionStatus;
  reason: RejectionReason | null;
  manifest: ModelManifest | null;
  manifestStamp: string | null;
  discoveredAt: number;
  loadedAt: number | null;
  activatedAt: number | null;
  timings: StepTimings | null;
  /**
   * Whether the newest-valid rule may activate it on its own. An operator's choice (activate,
   * rollback) clears it for every version known at that moment; later drop-ins get it again.
   */
  autoEligible: boolean;
}

export function versionKey(name: string, version: string): string {
  return `${name}/${version}`;
}

/** Records a validation outcome; a valid version becomes `ready` (activation is separate). */
export function applyOutcome(state: VersionState, outcome: ValidationOutcome, now: number): void {
  state.timings = outcome.timings;
  state.manifest = outcome.manifest ?? state.manifest;
  if (outcome.status === 'valid') {
    state.reason = null;
    state.loadedAt = now;
    if (state.status !== 'active') state.status = 'ready';
  } else {
    state.status = outcome.status;
    state.reason = outcome.reason;
  }
}

export function toInfo(state: VersionState): ModelVersionInfo {
  const iso = (ms: number | null): string | null =>
    ms === null ? null : new Date(ms).toISOString();
  const timings = state.timings;
  return {
    name: state.name,
    version: state.version,
    status: state.status,
    reason: state.reason,
    created: state.manifest?.created ?? null,
    vocabularySize: state.manifest?.vocabulary.size ?? null,
    embeddingDimension: state.manifest?.embeddingDimension ?? null,
    discoveredAt: new Date(state.discoveredAt).toISOString(),
    loadedAt: iso(state.loadedAt),
    activatedAt: iso(state.activatedAt),
    validation:
      timings === null
        ? null
        : {
            stepsMs: timings,
            totalMs:
              Math.round(Object.values(timings).reduce((sum, ms) => sum + ms, 0) * 100) / 100,
          },
  };
}
