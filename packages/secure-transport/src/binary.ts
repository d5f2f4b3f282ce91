/** A small length-checked binary layout for the records this package stores (not a wire format). */
import { DecodeError } from '@parley/interfaces'

export class ByteWriter {
  #buffer = new Uint8Array(256)
  #view = new DataView(this.#buffer.buffer)
  #length = 0

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + extra))
    grown.set(this.#buffer.subarray(0, this.#length))
    this.#buffer = grown
    this.#view = new DataView(grown.buffer)
  }

  u8(value: number): this {
    this.#reserve(1)
    this.#buffer[this.#length++] = value
    return this
  }

  /** A non-negative safe integer, as a float64 (exact for every safe integer). */
  count(value: number): this {
    this.#reserve(8)
    this.#view.setFloat64(this.#length, value)
    this.#length += 8
    return this
  }

  raw(bytes: Uint8Array): this {
    this.#reserve(bytes.length)
    this.#buffer.set(bytes, this.#length)
    this.#length += bytes.length
    return this
  }

  /** `bytes` after a uint16 length. */
  bytes(bytes: Uint8Array): this {
    if (bytes.length > 0xffff) throw new RangeError('a field of a stored record exceeds 65535 bytes')
    this.#reserve(2)
    this.#view.setUint16(this.#length, bytes.length)
    this.#length += 2
    return this.raw(bytes)
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length)
  }
}

export class ByteReader {
  readonly #data: Uint8Array
  readonly #view: DataView
  readonly #what: string
  #offset = 0

  constructor(data: Uint8Array, what: string) {
    this.#data = data
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    this.#what = what
  }

  #take(length: number): number {
    const at = this.#offset
    if (at + length > this.#data.length) throw new DecodeError(`${this.#what} is truncated`)
    this.#offset += length
    return at
  }

  u8(): number {
    return this.#data[this.#take(1)] ?? 0
  }

  count(field: string): number {
    const value = this.#view.getFloat64(this.#take(8))
    if (!Number.isSafeInteger(value) || value < 0)
      throw new DecodeError(`${this.#what}: ${field} is not a non-negative integer`)
    return value
  }

  raw(length: number): Uint8Array {
    const at = this.#take(length)
    return this.#data.slice(at, at + length)
  }

  /** uint16-length-prefixed bytes; of exactly `length` bytes when given. */
  bytes(field: string, length?: number): Uint8Array {
    const size = this.#view.getUint16(this.#take(2))
    if (length !== undefined && size !== length)
      throw new DecodeError(`${this.#what}: ${field} has a bad length`)
    return this.raw(size)
  }

  /** Everything not read yet. */
  rest(): Uint8Array {
    return this.raw(this.#data.length - this.#offset)
  }

  end(): void {
    if (this.#offset !== this.#data.length) throw new DecodeError(`${this.#what} has trailing bytes`)
  }
}
