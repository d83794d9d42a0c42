import { existsSync } from 'node:fs';
import { readInteractions } from '../readers/read-interactions';
import { trainModel } from './train-model';

const DIGINETICA_SAMPLE = '/work/shared/data/diginetica-sample/train-item-views.csv';

// The shared sample lives outside the repository; without it there is nothing to measure.
const describeWithSample = existsSync(DIGINETICA_SAMPLE) ? describe : describe.skip;
if (!existsSync(DIGINETICA_SAMPLE)) {
  console.warn(`SKIPPING Diginetica training spec: ${DIGINETICA_SAMPLE} not found`);
}

describeWithSample('trainModel on the Diginetica sample', () => {
  it('predicts held-out last transitions better than plain popularity (HR@10)', async () => {
    const interactions = await readInteractions(DIGINETICA_SAMPLE, 'session-csv');
    const model = trainModel({ interactions, dimension: 32, epochs: 10, seed: 7 });

    const modelHitRate = model.metrics['hitRate@10'] ?? 0;
    const popularityHitRate = model.metrics['popularityHitRate@10'] ?? 0;
    expect(model.metrics.heldOutTransitions).toBeGreaterThan(500);
    expect(modelHitRate).toBeGreaterThan(popularityHitRate);
    expect(model.itemEmbeddings.every(Number.isFinite)).toBe(true);
  }, 120_000);
});
