import { SeededRandom, WeightedSampler } from '../random/seeded-random';
import { recencyWeights } from './pooled-scoring';

export interface SkipGramOptions {
  dimension: number;
  /** How many preceding items are pooled into the context of a next-item prediction. */
  contextLength: number;
  epochs: number;
  learningRate: number;
  /** Negative samples per positive. */
  negatives: number;
  /** Recency decay of the pooling weights (newest item weight 1, previous `decay`, ...). */
  recencyDecay: number;
  seed: number;
}

export interface SkipGramResult {
  itemEmbeddings: Float32Array;
  projection: Float32Array;
}

/** Negatives are drawn ∝ count^0.75: frequent items are contrasted more, but not overwhelmingly. */
const NEGATIVE_SMOOTHING_POWER = 0.75;
/** The shared projection sees every example, so it learns slower than the per-item rows. */
const PROJECTION_LEARNING_RATE_SCALE = 0.05;

function sigmoid(x: number): number {
  if (x > 30) return 1;
  if (x < -30) return 0;
  return 1 / (1 + Math.exp(-x));
}

/**
 * Skip-gram with negative sampling over next-item transitions, in the exact form the graph
 * scores: the recency-weighted mean of the preceding items' embeddings, projected by a learned
 * D×D matrix (initially identity, so transitions may become directional), dotted with the next
 * item's embedding. One shared embedding table, so items that only arrive online still fit.
 */
export function trainSkipGram(
  sequences: readonly Int32Array[],
  itemCounts: Float64Array,
  options: SkipGramOptions,
  onProgress?: (done: number, total: number) => void,
): SkipGramResult {
  const { dimension: D, contextLength, epochs, negatives } = options;
  const random = new SeededRandom(options.seed);
  const itemCount = itemCounts.length;
  const embeddings = new Float32Array(itemCount * D);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = (random.next() - 0.5) / Math.sqrt(D);
  const projection = new Float32Array(D * D);
  for (let i = 0; i < D; i++) projection[i * D + i] = 1;
  const negativeSampler = new WeightedSampler(
    Float64Array.from(itemCounts, (count) => count ** NEGATIVE_SMOOTHING_POWER),
  );

  // One example per (sequence, position >= 1); visited in a fresh seeded order every epoch.
  const exampleSequence: number[] = [];
  const examplePosition: number[] = [];
  sequences.forEach((sequence, index) => {
    for (let position = 1; position < sequence.length; position++) {
      exampleSequence.push(index);
      examplePosition.push(position);
    }
  });
  const exampleCount = exampleSequence.length;
  const order = Int32Array.from({ length: exampleCount }, (_, i) => i);
  const totalSteps = Math.max(1, exampleCount * epochs);
  const weightsByLength = Array.from({ length: contextLength + 1 }, (_, length) =>
    recencyWeights(length, options.recencyDecay),
  );
  const pooled = new Float64Array(D);
  const projected = new Float64Array(D);
  const projectedGradient = new Float64Array(D);
  const pooledGradient = new Float64Array(D);
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    random.shuffle(order);
    for (let e = 0; e < exampleCount; e++, step++) {
      // Linear decay to near zero, as in word2vec: big steps early, fine-tuning late.
      const rate = options.learningRate * Math.max(1e-4, 1 - step / totalSteps);
      const example = order[e] ?? 0;
      const sequence = sequences[exampleSequence[example] ?? 0] as Int32Array;
      const position = examplePosition[example] ?? 1;
      const start = Math.max(0, position - contextLength);
      const weights = weightsByLength[position - start] as Float32Array;
      let weightSum = 0;
      for (let l = 0; l < weights.length; l++) weightSum += weights[l] ?? 0;

      pooled.fill(0);
      for (let l = start; l < position; l++) {
        const offset = sequence[l]! * D;
        const weight = weights[l - start]! / weightSum;
        for (let d = 0; d < D; d++) pooled[d]! += weight * embeddings[offset + d]!;
      }
      projected.fill(0);
      for (let i = 0; i < D; i++) {
        const value = pooled[i] ?? 0;
        for (let j = 0; j < D; j++) projected[j]! += value * projection[i * D + j]!;
      }

      projectedGradient.fill(0);
      const target = sequence[position] ?? 0;
      for (let k = 0; k <= negatives; k++) {
        const item = k === 0 ? target : negativeSampler.sample(random);
        if (k > 0 && item === target) continue;
        const offset = item * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += projected[d]! * embeddings[offset + d]!;
        const gradient = rate * ((k === 0 ? 1 : 0) - sigmoid(dot));
        for (let d = 0; d < D; d++) {
          projectedGradient[d]! += gradient * embeddings[offset + d]!;
          embeddings[offset + d]! += gradient * projected[d]!;
        }
      }

      // Back through the projection (using its value before this step's update), then into
      // each context item in proportion to its pooling weight.
      for (let i = 0; i < D; i++) {
        let sum = 0;
        const row = i * D;
        const value = pooled[i]! * PROJECTION_LEARNING_RATE_SCALE;
        for (let j = 0; j < D; j++) {
          sum += projection[row + j]! * projectedGradient[j]!;
          projection[row + j]! += value * projectedGradient[j]!;
        }
        pooledGradient[i] = sum;
      }
      for (let l = start; l < position; l++) {
        const offset = sequence[l]! * D;
        const weight = weights[l - start]! / weightSum;
        for (let d = 0; d < D; d++) embeddings[offset + d]! += weight * pooledGradient[d]!;
      }
      if ((step & 0x3fff) === 0) onProgress?.(step, totalSteps);
    }
  }
  onProgress?.(totalSteps, totalSteps);
  return { itemEmbeddings: embeddings, projection };
}
