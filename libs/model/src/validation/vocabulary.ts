import { ENTITY_ID_PATTERN } from '@kairos/contracts';
import { ModelRejection } from './rejection';

/** items.txt: one item id per line in row order; a final newline is optional. */
export function parseVocabulary(content: Buffer, expectedSize: number): string[] {
  const text = content.toString('utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const ids = text.length === 0 ? [] : lines.map((line) => line.replace(/\r$/, ''));
  if (ids.length !== expectedSize) {
    throw new ModelRejection(
      'VOCABULARY_MISMATCH',
      `the vocabulary file has ${ids.length} item ids but vocabulary.size is ${expectedSize}`,
    );
  }
  const seen = new Set<string>();
  for (const [row, id] of ids.entries()) {
    if (!ENTITY_ID_PATTERN.test(id)) {
      throw new ModelRejection(
        'VOCABULARY_MISMATCH',
        `vocabulary line ${row + 1} is not a valid item id: ${JSON.stringify(id.slice(0, 140))}`,
      );
    }
    if (seen.has(id)) {
      throw new ModelRejection(
        'VOCABULARY_MISMATCH',
        `item id ${id} appears twice (line ${row + 1})`,
      );
    }
    seen.add(id);
  }
  return ids;
}

/** Row-major little-endian float32 [rows, dimension]; every value must be finite. */
export function parseBaseEmbeddings(
  content: Buffer,
  rows: number,
  dimension: number,
): Float32Array {
  const rowBytes = dimension * Float32Array.BYTES_PER_ELEMENT;
  if (content.length % rowBytes !== 0) {
    throw new ModelRejection(
      'DIMENSION_MISMATCH',
      `base embeddings are ${content.length} bytes, not a whole number of rows of ${dimension} float32`,
    );
  }
  if (content.length / rowBytes !== rows) {
    throw new ModelRejection(
      'VOCABULARY_MISMATCH',
      `base embeddings have ${content.length / rowBytes} rows but the vocabulary has ${rows} items`,
    );
  }
  const values = new Float32Array(rows * dimension);
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  for (let index = 0; index < values.length; index++) {
    const value = view.getFloat32(index * 4, true);
    if (!Number.isFinite(value)) {
      throw new ModelRejection(
        'BAD_EMBEDDINGS',
        `base embedding of row ${Math.floor(index / dimension)} holds a non-finite value`,
      );
    }
    values[index] = value;
  }
  return values;
}
