import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelManifest } from '@kairos/model';
import type { Interaction } from '../readers/interaction';
import { generateSyntheticData } from '../synthetic/synthetic-events';
import { trainModel } from '../training/train-model';
import { readFloat32LittleEndian } from './float32-file';
import { ModelVersionExistsError, writeModelVersion } from './write-model-version';

const interactions: Interaction[] = [
  ...generateSyntheticData({
    events: 4_000,
    users: 150,
    items: 120,
    clusters: 6,
    seed: 3,
  }).events(),
];
const HYPER = { dimension: 8, epochs: 2 };

function digests(directory: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(directory).map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(directory, file)))
        .digest('hex'),
    ]),
  );
}

describe('writeModelVersion', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kairos-model-version-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  // Each copy gets its own models root, so name and version (and thus manifest.json) match too.
  const train = (seed: number, copy: string) =>
    writeModelVersion({
      directory: join(root, copy, 'demo', '1'),
      model: trainModel({ interactions, ...HYPER, seed }),
      training: { input: 'synthetic.jsonl', format: 'kairos-jsonl' },
    });

  it('writes a manifest whose files entries match the bytes on disk', () => {
    const manifest = train(1, 'x');
    const directory = join(root, 'x', 'demo', '1');
    expect(manifest).toMatchObject({
      name: 'demo',
      version: '1',
      embeddingDimension: 8,
      topK: 100,
    });
    expect(manifest.created).toBe(new Date(interactions.at(-1)!.timestamp).toISOString());
    const onDisk = JSON.parse(
      readFileSync(join(directory, 'manifest.json'), 'utf8'),
    ) as ModelManifest;
    expect(onDisk).toEqual(manifest);
    const fileDigests = digests(directory);
    for (const [file, described] of Object.entries(manifest.files)) {
      expect(fileDigests[file]).toBe(described.sha256);
      expect(readFileSync(join(directory, file)).length).toBe(described.bytes);
    }
    const vocabulary = readFileSync(join(directory, 'items.txt'), 'utf8').trimEnd().split('\n');
    expect(vocabulary).toHaveLength(manifest.vocabulary.size);
    const embeddings = readFloat32LittleEndian(
      readFileSync(join(directory, 'item_embeddings.f32')),
    );
    expect(embeddings).toHaveLength(manifest.vocabulary.size * 8);
    // No staging directory is left beside the version.
    expect(readdirSync(join(root, 'x', 'demo'))).toEqual(['1']);
  });

  it('reproduces identical bytes from the same seed and different ones from another seed', () => {
    train(1, 'a');
    train(1, 'b');
    train(2, 'c');
    const [a, b, c] = ['a', 'b', 'c'].map((copy) => digests(join(root, copy, 'demo', '1')));
    expect(Object.keys(a ?? {})).toHaveLength(5);
    expect(b).toEqual(a);
    expect(c?.['item_embeddings.f32']).not.toBe(a?.['item_embeddings.f32']);
    expect(c?.['model.onnx']).not.toBe(a?.['model.onnx']);
  });

  it('refuses to overwrite an existing version unless forced', () => {
    const first = train(1, 'x');
    expect(() => train(1, 'x')).toThrow(ModelVersionExistsError);
    const model = trainModel({ interactions, ...HYPER, seed: 2 });
    const directory = join(root, 'x', 'demo', '1');
    const second = writeModelVersion({ directory, model, force: true });
    expect(second.files['model.onnx']?.sha256).not.toBe(first.files['model.onnx']?.sha256);
    const onDisk = JSON.parse(
      readFileSync(join(directory, 'manifest.json'), 'utf8'),
    ) as ModelManifest;
    expect(onDisk).toEqual(second);
    expect(readdirSync(join(root, 'x', 'demo'))).toEqual(['1']);
  });
});
