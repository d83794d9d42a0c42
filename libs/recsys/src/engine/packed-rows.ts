/**
 * A short list of table rows packed into one string: one UTF-16 code unit per row when every
 * row fits in 16 bits, two (high, low) otherwise, after a one-unit header that says which.
 * Kept per user for up to 100,000 users, where an Int32Array cost ~170 bytes of V8 wrappers
 * (the typed array and its ArrayBuffer) plus a separately allocated backing store; a string is
 * one heap object of 2 bytes per row (4 for rows above 65,535) and the collector never walks it.
 * JavaScript strings are plain code-unit sequences, so any 16-bit value is a valid unit.
 */
export type PackedRows = string & { readonly __packedRows: unique symbol };

const NARROW = 0;
const WIDE = 1;
const UNIT = 0x1_0000;

export function packRows(rows: readonly number[]): PackedRows {
  let wide = false;
  for (const row of rows) {
    if (!(Number.isInteger(row) && row >= 0 && row <= 0x7fff_ffff)) {
      throw new Error(`a packed row must be an integer from 0 to 2^31 - 1, got ${row}`);
    }
    if (row >= UNIT) wide = true;
  }
  const units: number[] = [wide ? WIDE : NARROW];
  for (const row of rows) {
    if (wide) units.push(Math.floor(row / UNIT), row % UNIT);
    else units.push(row);
  }
  // Built in slices: String.fromCharCode spreads its arguments onto the stack.
  let packed = '';
  for (let at = 0; at < units.length; at += 4_096) {
    packed += String.fromCharCode(...units.slice(at, at + 4_096));
  }
  return packed as PackedRows;
}

/** The first position at or after `from` holding `row` (as in the array it was packed from), or -1. */
export function indexOfPackedRow(packed: PackedRows, row: number, from = 0): number {
  if (packed.charCodeAt(0) !== WIDE) {
    if (row >= UNIT) return -1;
    const at = packed.indexOf(String.fromCharCode(row), 1 + from);
    return at < 0 ? -1 : at - 1;
  }
  const high = Math.floor(row / UNIT);
  const low = row % UNIT;
  for (let at = 1 + 2 * from; at < packed.length; at += 2) {
    if (packed.charCodeAt(at) === high && packed.charCodeAt(at + 1) === low) return (at - 1) / 2;
  }
  return -1;
}

/** The row at `index` (0 first). */
export function packedRowAt(packed: PackedRows, index: number): number {
  if (packed.charCodeAt(0) !== WIDE) return packed.charCodeAt(1 + index);
  return packed.charCodeAt(1 + 2 * index) * UNIT + packed.charCodeAt(2 + 2 * index);
}
