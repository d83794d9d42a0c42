import { ModelRejection } from './rejection';
import { parseBaseEmbeddings, parseVocabulary } from './vocabulary';

function codeOf(work: () => unknown): string {
  try {
    work();
    return 'accepted';
  } catch (error) {
    return error instanceof ModelRejection ? error.code : 'threw';
  }
}

describe('parseVocabulary', () => {
  it('reads one id per line, with or without a final newline or CRLF', () => {
    expect(parseVocabulary(Buffer.from('a\nb\nc\n'), 3)).toEqual(['a', 'b', 'c']);
    expect(parseVocabulary(Buffer.from('a\r\nb'), 2)).toEqual(['a', 'b']);
  });

  it('refuses a line count that differs from vocabulary.size, duplicates and invalid ids', () => {
    expect(codeOf(() => parseVocabulary(Buffer.from('a\nb\n'), 3))).toBe('VOCABULARY_MISMATCH');
    expect(codeOf(() => parseVocabulary(Buffer.from('a\na\n'), 2))).toBe('VOCABULARY_MISMATCH');
    expect(codeOf(() => parseVocabulary(Buffer.from('a\n\nb\n'), 3))).toBe('VOCABULARY_MISMATCH');
  });
});

describe('parseBaseEmbeddings', () => {
  const table = (values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);

  it('reads row-major little-endian float32', () => {
    expect([...parseBaseEmbeddings(table([1, 2, 3, 4, 5, 6]), 3, 2)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('tells a dimension mismatch from a row-count mismatch, and refuses non-finite values', () => {
    expect(codeOf(() => parseBaseEmbeddings(table([1, 2, 3, 4, 5, 6]), 2, 4))).toBe(
      'DIMENSION_MISMATCH',
    );
    expect(codeOf(() => parseBaseEmbeddings(table([1, 2, 3, 4, 5, 6]), 2, 3))).toBe('accepted');
    expect(codeOf(() => parseBaseEmbeddings(table([1, 2, 3, 4, 5, 6]), 2, 2))).toBe(
      'VOCABULARY_MISMATCH',
    );
    expect(codeOf(() => parseBaseEmbeddings(table([1, Number.NaN]), 1, 2))).toBe('BAD_EMBEDDINGS');
  });
});
