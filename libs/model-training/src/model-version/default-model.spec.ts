import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelManifest } from '@kairos/model';
import { readFloat32LittleEndian } from './float32-file';

const REPOSITORY = resolve(__dirname, '../../../..');
const MODEL_DIRECTORY = join(REPOSITORY, 'models/kairos-default/1');

let ort: typeof import('onnxruntime-node');
beforeAll(async () => {
  ort = await import('onnxruntime-node');
});

const read = (file: string) => readFileSync(join(MODEL_DIRECTORY, file));
const manifest = JSON.parse(read('manifest.json').toString('utf8')) as ModelManifest;

describe('the committed default model (models/kairos-default/1)', () => {
  it('lists every file with its exact size and digest', () => {
    expect(Object.keys(manifest.files).sort()).toEqual(
      ['item_embeddings.f32', 'item_prior.f32', 'items.txt', 'model.onnx'].sort(),
    );
    for (const [file, described] of Object.entries(manifest.files)) {
      const content = read(file);
      expect({ file, bytes: content.length }).toEqual({ file, bytes: described.bytes });
      expect(createHash('sha256').update(content).digest('hex')).toBe(described.sha256);
    }
    expect(manifest.metrics?.['hitRate@10']).toBeGreaterThan(
      manifest.metrics?.['popularityHitRate@10'] ?? 1,
    );
  });

  it('recommends mostly items of the category a user has been browsing', async () => {
    const vocabulary = read('items.txt').toString('utf8').trimEnd().split('\n');
    const catalog = readFileSync(join(REPOSITORY, 'demo/catalog.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { itemId: string; categories: string[] });
    const categoryById = new Map(catalog.map((item) => [item.itemId, item.categories[0]]));
    const N = vocabulary.length;
    const D = manifest.embeddingDimension;
    const session = await ort.InferenceSession.create(read('model.onnx'));

    for (const category of ['Kitchen', 'Cycling', 'Pets']) {
      const rows = vocabulary.flatMap((id, row) =>
        categoryById.get(id) === category ? [row] : [],
      );
      const history = rows.slice(0, 5);
      const outputs = await session.run({
        history: new ort.Tensor('int64', BigInt64Array.from(history, BigInt), [1, history.length]),
        history_weights: new ort.Tensor('float32', new Float32Array(history.length).fill(1), [
          1,
          history.length,
        ]),
        item_embeddings: new ort.Tensor(
          'float32',
          readFloat32LittleEndian(read('item_embeddings.f32')),
          [N, D],
        ),
        item_prior: new ort.Tensor('float32', readFloat32LittleEndian(read('item_prior.f32')), [N]),
        exclude_mask: new ort.Tensor('float32', new Float32Array(N), [1, N]),
      });
      const top10 = Array.from(outputs.top_indices!.data as BigInt64Array)
        .slice(0, 10)
        .map((row) => categoryById.get(vocabulary[Number(row)] ?? ''));
      // 12 categories: a model that ignored the history would land about 1 in 12 here.
      expect(top10.filter((found) => found === category).length).toBeGreaterThanOrEqual(6);
    }
    await session.release();
  });
});
