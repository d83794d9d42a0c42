import { onnx } from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * The floor under any scoring model of this shape: one onnxruntime MatMul [B, D] × [D, N] with
 * the item matrix baked in as an initializer, run with the same session options as
 * OnnxModelRunner (CPU, all graph optimisations).
 */
export class MatMulReference {
  private constructor(
    private readonly session: InferenceSession,
    readonly dimension: number,
  ) {}

  static async create(itemEmbeddings: Float32Array, items: number, dimension: number) {
    const transposed = new Float32Array(items * dimension);
    for (let n = 0; n < items; n++) {
      for (let d = 0; d < dimension; d++) {
        transposed[d * items + n] = itemEmbeddings[n * dimension + d] ?? 0;
      }
    }
    const floatType = onnx.TensorProto.DataType.FLOAT;
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'bench-recommender',
      graph: {
        name: 'matmul_reference',
        node: [
          { opType: 'MatMul', name: 'scores', input: ['query', 'items_t'], output: ['scores'] },
        ],
        initializer: [
          {
            name: 'items_t',
            dims: [dimension, items],
            dataType: floatType,
            rawData: new Uint8Array(transposed.buffer),
          },
        ],
        input: [valueInfo('query', floatType, ['B', dimension])],
        output: [valueInfo('scores', floatType, ['B', items])],
      },
    });
    const bytes = onnx.ModelProto.encode(model).finish();
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    return new MatMulReference(session, dimension);
  }

  async run(query: Float32Array, batchSize: number): Promise<void> {
    await this.session.run({ query: new Tensor('float32', query, [batchSize, this.dimension]) });
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

function valueInfo(
  name: string,
  elemType: number,
  dims: ReadonlyArray<string | number>,
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })),
        },
      },
    },
  };
}
