import { BINDABLE_FEATURES, type ModelManifest, OUTPUT_MEANINGS } from '../contract/model-contract';
import { ModelRejection } from './rejection';

/** What onnxruntime reports about a graph input or output (session.inputMetadata/outputMetadata). */
export type GraphValue =
  | { readonly name: string; readonly isTensor: false }
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: ReadonlyArray<number | string>;
    };

type Axis = 'B' | 'L' | 'N' | 'D' | 'K';
interface Expected {
  readonly dtype: string;
  readonly dims: readonly Axis[];
}

/**
 * Axes that change from batch to batch (B, L) or as items arrive (N) must be symbolic in the
 * graph; D and K may be fixed, and then must equal the manifest's values.
 */
const DYNAMIC_AXES: ReadonlySet<Axis> = new Set(['B', 'L', 'N']);

/** Checks the graph's declared inputs and outputs against the manifest and the contract. */
export function checkGraphSignature(
  manifest: ModelManifest,
  graphInputs: readonly GraphValue[],
  graphOutputs: readonly GraphValue[],
): void {
  const bound = new Set(Object.keys(manifest.inputs));
  const unbound = graphInputs.filter((input) => !bound.has(input.name)).map((input) => input.name);
  if (unbound.length > 0) {
    throw new ModelRejection(
      'INPUT_MISMATCH',
      `graph input(s) ${unbound.join(', ')} are not bound in manifest.inputs (it binds ${[...bound].join(', ')})`,
    );
  }
  for (const [graphName, feature] of Object.entries(manifest.inputs)) {
    const value = graphInputs.find((input) => input.name === graphName);
    if (value === undefined) {
      throw new ModelRejection(
        'INPUT_MISMATCH',
        `manifest.inputs binds ${graphName} (${feature}) but the graph's inputs are ${graphInputs.map((input) => input.name).join(', ')}`,
      );
    }
    checkValue(
      manifest,
      value,
      `input ${graphName} (${feature})`,
      BINDABLE_FEATURES[feature],
      'INPUT_MISMATCH',
    );
  }
  for (const [graphName, meaning] of Object.entries(manifest.outputs)) {
    const value = graphOutputs.find((output) => output.name === graphName);
    if (value === undefined) {
      throw new ModelRejection(
        'OUTPUT_MISMATCH',
        `manifest.outputs binds ${graphName} (${meaning}) but the graph's outputs are ${graphOutputs.map((output) => output.name).join(', ')}`,
      );
    }
    checkValue(
      manifest,
      value,
      `output ${graphName} (${meaning})`,
      OUTPUT_MEANINGS[meaning],
      'OUTPUT_MISMATCH',
    );
  }
}

function checkValue(
  manifest: ModelManifest,
  value: GraphValue,
  what: string,
  expected: Expected,
  code: 'INPUT_MISMATCH' | 'OUTPUT_MISMATCH',
): void {
  if (!value.isTensor) throw new ModelRejection(code, `${what} must be a tensor`);
  if (value.type !== expected.dtype) {
    throw new ModelRejection(
      code,
      `${what} must be ${expected.dtype}, the graph declares ${value.type}`,
    );
  }
  if (value.shape.length !== expected.dims.length) {
    throw new ModelRejection(
      code,
      `${what} must have rank ${expected.dims.length} [${expected.dims.join(', ')}], the graph declares [${value.shape.join(', ')}]`,
    );
  }
  expected.dims.forEach((axis, position) => {
    const declared = value.shape[position];
    const fixed = typeof declared === 'number' && declared >= 0 ? declared : null;
    if (fixed === null) return;
    if (DYNAMIC_AXES.has(axis)) {
      throw new ModelRejection(
        'DIMENSION_MISMATCH',
        `${what}: axis ${position} (${axis}) must be dynamic, the graph fixes it at ${fixed}`,
      );
    }
    const wanted = axis === 'D' ? manifest.embeddingDimension : manifest.topK;
    if (fixed !== wanted) {
      throw new ModelRejection(
        'DIMENSION_MISMATCH',
        `${what}: axis ${position} (${axis}) is ${fixed} in the graph but ${wanted ?? 'absent'} in the manifest`,
      );
    }
  });
}
