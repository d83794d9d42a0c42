/**
 * Why a model version was refused. Stable codes: operators and alerts switch on these, the
 * message explains the specific case. INCOMPLETE is not a refusal: it is why a version is still
 * pending (its files are being copied).
 */
export const REJECTION_CODES = [
  'INCOMPLETE',
  'BAD_MANIFEST',
  'UNSAFE_PATH',
  'TOO_LARGE',
  'CORRUPT_MODEL',
  'INPUT_MISMATCH',
  'OUTPUT_MISMATCH',
  'DIMENSION_MISMATCH',
  'VOCABULARY_MISMATCH',
  'BAD_EMBEDDINGS',
  'SMOKE_FAILED',
  'SMOKE_TIMEOUT',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface RejectionReason {
  readonly code: RejectionCode;
  readonly message: string;
}

/** Thrown by a validation step; the registry records it and keeps the previous model serving. */
export class ModelRejection extends Error implements RejectionReason {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelRejection';
  }

  toReason(): RejectionReason {
    return { code: this.code, message: this.message };
  }
}

/** The version is not completely copied yet; it stays pending and is looked at again next scan. */
export class IncompleteVersion extends ModelRejection {
  constructor(message: string) {
    super('INCOMPLETE', message);
    this.name = 'IncompleteVersion';
  }
}
