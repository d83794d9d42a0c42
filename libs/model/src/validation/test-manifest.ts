import { type ModelManifest } from '../contract/model-contract';

const DIGEST = 'a'.repeat(64);

/** A valid manifest for demo/1 (N = 10, D = 4) as plain JSON, for specs to break one field at a time. */
export function validManifestJson(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'demo',
    version: '1',
    created: '2026-05-01T12:00:00Z',
    embeddingDimension: 4,
    files: {
      'model.onnx': { bytes: 1000, sha256: DIGEST },
      'items.txt': { bytes: 70, sha256: DIGEST },
      'item_embeddings.f32': { bytes: 160, sha256: DIGEST },
    },
    vocabulary: { file: 'items.txt', size: 10 },
    baseEmbeddings: { file: 'item_embeddings.f32' },
    inputs: {
      history: 'history',
      history_weights: 'history_weights',
      item_embeddings: 'item_embeddings',
    },
    outputs: { scores: 'scores' },
  };
}

export function validManifest(): ModelManifest {
  return validManifestJson() as unknown as ModelManifest;
}
