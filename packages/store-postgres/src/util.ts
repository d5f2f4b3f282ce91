/** pg hands out Buffers; callers get plain Uint8Arrays (same memory, no copy). */
export function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
