/** Little-endian float32 bytes whatever the machine's byte order (the .f32 file format). */
export function float32LittleEndian(values: ArrayLike<number>): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] ?? 0, i * 4);
  return bytes;
}

export function readFloat32LittleEndian(bytes: Buffer): Float32Array {
  if (bytes.length % 4 !== 0)
    throw new Error(`float32 file length ${bytes.length} is not a multiple of 4`);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}
