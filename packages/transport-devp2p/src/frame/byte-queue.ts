/** Bytes received in arbitrary pieces, read back in exact amounts without re-concatenating on every push. */
export class ByteQueue {
  #chunks: Uint8Array[] = []
  #head = 0 // bytes already consumed from #chunks[0]
  #length = 0

  get length(): number {
    return this.#length
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.#chunks.push(chunk)
    this.#length += chunk.length
  }

  /** Removes and returns the next `n` bytes (a copy); the caller checks `length` first. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const chunk = this.#chunks[0]!
      const available = chunk.length - this.#head
      const count = Math.min(available, n - filled)
      out.set(chunk.subarray(this.#head, this.#head + count), filled)
      filled += count
      this.#head += count
      if (this.#head === chunk.length) {
        this.#chunks.shift()
        this.#head = 0
      }
    }
    this.#length -= n
    return out
  }

  clear(): void {
    this.#chunks = []
    this.#head = 0
    this.#length = 0
  }
}
