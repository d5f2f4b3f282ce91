/**
 * The few protobuf wire primitives the WakuMessage codec needs: varints, zigzag, tags, and skipping
 * unknown fields. Readers never throw anything but `DecodeError`, and check every length against the
 * bytes that remain before they allocate or slice.
 */
import { DecodeError } from '@parley/interfaces'

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_LENGTH_DELIMITED = 2
export const WIRE_FIXED32 = 5

const MAX_FIELD_NUMBER = 2 ** 29 - 1
const UINT64_MAX = (1n << 64n) - 1n

/** A cursor over untrusted bytes. */
export class ProtobufReader {
  readonly #bytes: Uint8Array
  #offset = 0

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  get done(): boolean {
    return this.#offset >= this.#bytes.length
  }

  /** An unsigned varint of at most 10 bytes whose value fits in 64 bits. */
  varint(): bigint {
    let value = 0n
    for (let index = 0; index < 10; index++) {
      const byte = this.#bytes[this.#offset]
      if (byte === undefined) throw new DecodeError('Protobuf varint is truncated')
      this.#offset++
      value |= BigInt(byte & 0x7f) << BigInt(7 * index)
      if ((byte & 0x80) === 0) {
        if (value > UINT64_MAX) throw new DecodeError('Protobuf varint overflows 64 bits')
        return value
      }
    }
    throw new DecodeError('Protobuf varint is longer than 10 bytes')
  }

  /** A field tag; rejects field number 0, field numbers above 2^29 - 1 and the group wire types. */
  tag(): { field: number; wireType: number } {
    const tag = this.varint()
    const field = Number(tag >> 3n)
    const wireType = Number(tag & 7n)
    if (field === 0 || field > MAX_FIELD_NUMBER)
      throw new DecodeError(`Invalid protobuf field number ${field}`)
    if (
      wireType !== WIRE_VARINT &&
      wireType !== WIRE_FIXED64 &&
      wireType !== WIRE_LENGTH_DELIMITED &&
      wireType !== WIRE_FIXED32
    )
      throw new DecodeError(`Unsupported protobuf wire type ${wireType} (field ${field})`)
    return { field, wireType }
  }

  /** The body of a length-delimited field, copied; the length is checked before anything is allocated. */
  lengthDelimited(maxLength: number = Number.MAX_SAFE_INTEGER): Uint8Array {
    const length = this.varint()
    const remaining = this.#bytes.length - this.#offset
    if (length > BigInt(remaining))
      throw new DecodeError(`Protobuf length ${length} exceeds the ${remaining} bytes that remain`)
    if (length > BigInt(maxLength))
      throw new DecodeError(`Protobuf field of ${length} bytes exceeds the limit of ${maxLength}`)
    const start = this.#offset
    this.#offset += Number(length)
    return this.#bytes.slice(start, this.#offset)
  }

  /** Skips a field this codec does not know, whatever its (non-group) wire type. */
  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) {
      this.varint()
      return
    }
    if (wireType === WIRE_LENGTH_DELIMITED) {
      const length = this.varint()
      this.#advance(length)
      return
    }
    this.#advance(wireType === WIRE_FIXED64 ? 8n : 4n)
  }

  #advance(count: bigint): void {
    const remaining = this.#bytes.length - this.#offset
    if (count > BigInt(remaining))
      throw new DecodeError(`Protobuf field needs ${count} bytes but ${remaining} remain`)
    this.#offset += Number(count)
  }
}

/** Appends protobuf fields; the caller decides which fields are present. */
export class ProtobufWriter {
  readonly #chunks: Uint8Array[] = []
  #length = 0

  varintField(field: number, value: bigint): void {
    this.#push(encodeVarint(BigInt((field << 3) | WIRE_VARINT)))
    this.#push(encodeVarint(value))
  }

  bytesField(field: number, value: Uint8Array): void {
    this.#push(encodeVarint(BigInt((field << 3) | WIRE_LENGTH_DELIMITED)))
    this.#push(encodeVarint(BigInt(value.length)))
    this.#push(value)
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length)
    let offset = 0
    for (const chunk of this.#chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }

  #push(chunk: Uint8Array): void {
    this.#chunks.push(chunk)
    this.#length += chunk.length
  }
}

/** Unsigned LEB128; `value` must lie in 0..2^64-1. */
export function encodeVarint(value: bigint): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  bytes.push(Number(rest))
  return Uint8Array.from(bytes)
}

/** sint64 zigzag: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ... */
export function zigzagEncode(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
}

export function zigzagDecode(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n)
}
