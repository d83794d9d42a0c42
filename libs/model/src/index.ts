export * from './contract/model-contract';
export * from './contract/model-runner';
export {
  OnnxModelRunner,
  type OnnxRunnerOptions,
  type ModelParts,
} from './runtime/onnx-model-runner';
export { LeasedRunner } from './runtime/leased-runner';
export { ModelRegistry } from './registry/model-registry';
export * from './registry/registry-types';
export { compareVersions } from './registry/version-order';
export {
  REJECTION_CODES,
  ModelRejection,
  type RejectionCode,
  type RejectionReason,
} from './validation/rejection';
export { DEFAULT_MODEL_LIMITS, type ModelLimits } from './validation/model-limits';
export { parseManifest } from './validation/manifest-parser';
export { isSafeSegment } from './validation/safe-names';
export {
  validateVersion,
  VALIDATION_STEPS,
  type ValidationStep,
  type StepTimings,
  type ValidationOutcome,
} from './validation/validate-version';
