/** Bounds checked from the manifest before anything is read or allocated. */
export interface ModelLimits {
  /** Largest vocabulary (N) accepted. */
  readonly maxItems: number;
  /** Largest embedding dimension (D) accepted. */
  readonly maxDimension: number;
  /** Largest single file accepted, in bytes. */
  readonly maxFileBytes: number;
}

export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  maxItems: 5_000_000,
  maxDimension: 1_024,
  maxFileBytes: 2 * 1024 ** 3,
};

/** manifest.json is small metadata; anything bigger is not a manifest. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
