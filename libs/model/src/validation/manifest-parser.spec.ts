import { parseManifest } from './manifest-parser';
import { DEFAULT_MODEL_LIMITS } from './model-limits';
import { ModelRejection, type RejectionCode } from './rejection';
import { validManifestJson } from './test-manifest';

const location = { name: 'demo', version: '1' };

function rejectionOf(
  edit: (manifest: Record<string, unknown>) => void,
): RejectionCode | 'accepted' {
  const manifest = validManifestJson();
  edit(manifest);
  try {
    parseManifest(manifest, location, DEFAULT_MODEL_LIMITS);
    return 'accepted';
  } catch (error) {
    if (error instanceof ModelRejection) return error.code;
    throw error;
  }
}

describe('parseManifest', () => {
  it('accepts a manifest that follows the contract', () => {
    const manifest = parseManifest(validManifestJson(), location, DEFAULT_MODEL_LIMITS);
    expect(manifest).toMatchObject({
      name: 'demo',
      version: '1',
      embeddingDimension: 4,
      vocabulary: { size: 10 },
    });
    expect(manifest.topK).toBeUndefined();
  });

  it.each<[string, (manifest: Record<string, unknown>) => void, RejectionCode]>([
    ['another schema version', (m) => (m.schemaVersion = 2), 'BAD_MANIFEST'],
    ['a name that differs from its directory', (m) => (m.name = 'other'), 'BAD_MANIFEST'],
    ['a created that is not a date', (m) => (m.created = 'yesterday'), 'BAD_MANIFEST'],
    ['a fractional dimension', (m) => (m.embeddingDimension = 4.5), 'BAD_MANIFEST'],
    [
      'no model.onnx among the files',
      (m) => delete (m.files as Record<string, unknown>)['model.onnx'],
      'BAD_MANIFEST',
    ],
    [
      'an unlisted vocabulary file',
      (m) => (m.vocabulary = { file: 'other.txt', size: 10 }),
      'BAD_MANIFEST',
    ],
    ['an unknown feature', (m) => (m.inputs = { clicks: 'click_counts' }), 'BAD_MANIFEST'],
    ['a feature bound twice', (m) => (m.inputs = { a: 'history', b: 'history' }), 'BAD_MANIFEST'],
    ['top_scores without top_indices', (m) => (m.outputs = { t: 'top_scores' }), 'BAD_MANIFEST'],
    [
      'top outputs without topK',
      (m) => (m.outputs = { t: 'top_scores', i: 'top_indices' }),
      'BAD_MANIFEST',
    ],
    [
      'an upper-case digest',
      (m) =>
        ((m.files as Record<string, unknown>)['items.txt'] = { bytes: 1, sha256: 'A'.repeat(64) }),
      'BAD_MANIFEST',
    ],
    [
      'a parent-directory file name',
      (m) => (m.vocabulary = { file: '../items.txt', size: 10 }),
      'UNSAFE_PATH',
    ],
    [
      'an absolute file name',
      (m) =>
        ((m.files as Record<string, unknown>)['/etc/passwd'] = {
          bytes: 1,
          sha256: 'a'.repeat(64),
        }),
      'UNSAFE_PATH',
    ],
    ['a version with a slash', (m) => (m.version = '1/../../x'), 'UNSAFE_PATH'],
    ['a dimension over the limit', (m) => (m.embeddingDimension = 1_000_000), 'TOO_LARGE'],
    [
      'a vocabulary over the limit',
      (m) => (m.vocabulary = { file: 'items.txt', size: 1e10 }),
      'TOO_LARGE',
    ],
    [
      'a file over the size limit',
      (m) =>
        ((m.files as Record<string, unknown>)['model.onnx'] = {
          bytes: 2 ** 40,
          sha256: 'a'.repeat(64),
        }),
      'TOO_LARGE',
    ],
  ])('refuses %s', (_, edit, code) => {
    expect(rejectionOf(edit)).toBe(code);
  });

  it('accepts top outputs with a topK no larger than the vocabulary', () => {
    expect(
      rejectionOf((m) =>
        Object.assign(m, { outputs: { t: 'top_scores', i: 'top_indices' }, topK: 10 }),
      ),
    ).toBe('accepted');
    expect(
      rejectionOf((m) =>
        Object.assign(m, { outputs: { t: 'top_scores', i: 'top_indices' }, topK: 11 }),
      ),
    ).toBe('BAD_MANIFEST');
  });
});
