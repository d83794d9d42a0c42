import { InferenceSession, Tensor } from 'onnxruntime-node';
import { type ModelManifest } from '../contract/model-contract';
import { type FeatureBatch, type ModelRunner, type ScoredBatch } from '../contract/model-runner';
import { type GraphValue } from '../validation/graph-signature';
import { featureFeeds, scoredBatch } from './feature-feeds';

export interface OnnxRunnerOptions {
  /** Threads per inference; 0 lets onnxruntime choose (one per core). */
  readonly intraOpNumThreads: number;
}

/** What a model version is made of, once its files are read and checked. */
export interface ModelParts {
  readonly manifest: ModelManifest;
  readonly vocabulary: readonly string[];
  readonly baseEmbeddings: Float32Array;
}

/** A model version served by onnxruntime on the CPU. */
export class OnnxModelRunner implements ModelRunner {
  readonly manifest: ModelManifest;
  readonly vocabulary: readonly string[];
  readonly baseEmbeddings: Float32Array;
  private readonly fetches: string[];

  private constructor(
    parts: ModelParts,
    private readonly session: InferenceSession,
  ) {
    this.manifest = parts.manifest;
    this.vocabulary = parts.vocabulary;
    this.baseEmbeddings = parts.baseEmbeddings;
    // Only the bound outputs are computed; a graph may carry more (debug outputs, say).
    this.fetches = Object.keys(parts.manifest.outputs);
  }

  /** Throws onnxruntime's own error when the bytes are not a loadable ONNX model. */
  static async load(
    modelBytes: Uint8Array,
    parts: ModelParts,
    options: OnnxRunnerOptions,
  ): Promise<OnnxModelRunner> {
    const session = await InferenceSession.create(modelBytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(options.intraOpNumThreads > 0 ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      // Errors only: onnxruntime's warnings (unused initialisers and the like) are noise here.
      logSeverityLevel: 3,
      // onnxruntime's pool threads spin-wait for work between runs by default, burning the cores
      // the event loop and the other runs need. On the 2-core CI machine, batches of 2 users on a
      // 10,000 x 64 model: median run 0.77 -> 0.34 ms alone, 7.5 -> 1.8 ms with 8 runs in flight.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    return new OnnxModelRunner(parts, session);
  }

  get graphInputs(): readonly GraphValue[] {
    return this.session.inputMetadata;
  }

  get graphOutputs(): readonly GraphValue[] {
    return this.session.outputMetadata;
  }

  async run(batch: FeatureBatch): Promise<ScoredBatch> {
    const feeds: Record<string, Tensor> = {};
    for (const [graphName, feed] of Object.entries(featureFeeds(batch, this.manifest))) {
      feeds[graphName] = new Tensor(feed.type, feed.data, feed.dims);
    }
    const outputs = await this.session.run(feeds, this.fetches);
    return scoredBatch(outputs, this.manifest, batch);
  }

  /** Frees the native session; the caller guarantees no run is in flight (see LeasedRunner). */
  release(): Promise<void> {
    return this.session.release();
  }
}
