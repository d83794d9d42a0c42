import { type GraphValue, checkGraphSignature } from './graph-signature';
import { ModelRejection } from './rejection';
import { validManifest } from './test-manifest';

const tensor = (name: string, type: string, shape: Array<number | string>): GraphValue => ({
  name,
  isTensor: true,
  type,
  shape,
});
const inputs = (): GraphValue[] => [
  tensor('history', 'int64', ['B', 'L']),
  tensor('history_weights', 'float32', ['B', 'L']),
  tensor('item_embeddings', 'float32', ['N', 4]),
];
const outputs = (): GraphValue[] => [tensor('scores', 'float32', ['B', 'N'])];

function codeOf(graphInputs: GraphValue[], graphOutputs: GraphValue[] = outputs()): string {
  try {
    checkGraphSignature(validManifest(), graphInputs, graphOutputs);
    return 'accepted';
  } catch (error) {
    return error instanceof ModelRejection ? `${error.code}: ${error.message}` : 'threw';
  }
}

describe('checkGraphSignature', () => {
  it('accepts a graph whose inputs and outputs match the manifest, with unnamed dynamic axes too', () => {
    expect(codeOf(inputs())).toBe('accepted');
    expect(codeOf(inputs(), [tensor('scores', 'float32', [-1, -1])])).toBe('accepted');
  });

  it('refuses unbound graph inputs and bound names the graph lacks', () => {
    expect(codeOf([...inputs(), tensor('item_prior', 'float32', ['N'])])).toMatch(
      /^INPUT_MISMATCH: .*item_prior/,
    );
    expect(codeOf([tensor('recent_items', 'int64', ['B', 'L']), ...inputs().slice(1)])).toMatch(
      /^INPUT_MISMATCH: .*recent_items/,
    );
  });

  it('refuses wrong dtypes and ranks', () => {
    const [, weights, embeddings] = inputs();
    expect(codeOf([tensor('history', 'int32', ['B', 'L']), weights!, embeddings!])).toMatch(
      /^INPUT_MISMATCH: .*int64/,
    );
    expect(codeOf([tensor('history', 'int64', ['B']), weights!, embeddings!])).toMatch(
      /^INPUT_MISMATCH: .*rank 2/,
    );
    expect(codeOf(inputs(), [tensor('scores', 'float64', ['B', 'N'])])).toMatch(/^OUTPUT_MISMATCH/);
    expect(codeOf(inputs(), [tensor('logits', 'float32', ['B', 'N'])])).toMatch(/^OUTPUT_MISMATCH/);
  });

  it('refuses a fixed D that differs from the manifest, and fixed B, L or N', () => {
    const [history, weights] = inputs();
    expect(codeOf([history!, weights!, tensor('item_embeddings', 'float32', ['N', 5])])).toMatch(
      /^DIMENSION_MISMATCH: .*\(D\) is 5 in the graph but 4/,
    );
    expect(codeOf([history!, weights!, tensor('item_embeddings', 'float32', [100, 4])])).toMatch(
      /^DIMENSION_MISMATCH: .*must be dynamic/,
    );
    expect(codeOf([tensor('history', 'int64', [1, 'L']), weights!, inputs()[2]!])).toMatch(
      /^DIMENSION_MISMATCH/,
    );
  });
});
