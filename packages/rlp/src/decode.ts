import { InvalidParametersError } from '@parley/interfaces'
import { RlpDecodeError } from './errors.ts'

/** A decoded item: a byte string or a list. Byte strings are views into the input, not copies. */
export type RlpValue = Uint8Array | RlpValue[]

export interface DecodeOptions {
  /** Lists nested deeper than this are rejected with reason `too-deep`. Default 64, at most 1024. */
  maxDepth?: number
}

export const DEFAULT_MAX_DEPTH = 64
/** Decoding recurses once per level; past this the JS stack, not the input, would decide. */
const MAX_DEPTH_LIMIT = 1024

/** Decodes exactly one item that spans all of `bytes`. Anything after it is an error. */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): RlpValue {
  const { value, rest } = decodePrefix(bytes, options)
  if (rest.length !== 0) throw new RlpDecodeError('trailing-bytes', `${rest.length} bytes after the item`)
  return value
}

/**
 * Decodes the item at the start of `bytes` and returns what follows it. For formats that must
 * ignore trailing data, such as EIP-8 handshake messages.
 */
export function decodePrefix(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): { value: RlpValue; rest: Uint8Array } {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT)
    throw new InvalidParametersError(`rlp: maxDepth must be an integer in 0..${MAX_DEPTH_LIMIT}`)
  const reader = new Reader(bytes, maxDepth)
  const value = reader.item(bytes.length, 0)
  return { value, rest: bytes.subarray(reader.offset) }
}

class Reader {
  readonly bytes: Uint8Array
  readonly maxDepth: number
  offset = 0

  constructor(bytes: Uint8Array, maxDepth: number) {
    this.bytes = bytes
    this.maxDepth = maxDepth
  }

  /** Reads one item that must end at or before `end`. */
  item(end: number, depth: number): RlpValue {
    if (this.offset >= end) throw new RlpDecodeError('truncated', 'expected an item, found the end')
    const prefix = this.bytes[this.offset++]!
    if (prefix < 0x80) return this.bytes.subarray(this.offset - 1, this.offset)
    if (prefix < 0xc0) {
      const length = this.length(prefix - 0x80, end)
      const start = this.offset
      this.offset += length
      const value = this.bytes.subarray(start, this.offset)
      if (length === 1 && value[0]! < 0x80)
        throw new RlpDecodeError('non-canonical-size', `byte 0x${hex(value[0]!)} must be encoded as itself`)
      return value
    }
    if (depth >= this.maxDepth)
      throw new RlpDecodeError('too-deep', `lists nest deeper than ${this.maxDepth}`)
    const length = this.length(prefix - 0xc0, end) // advances past the length bytes
    const listEnd = this.offset + length
    const items: RlpValue[] = []
    while (this.offset < listEnd) items.push(this.item(listEnd, depth + 1))
    return items
  }

  /** Reads the payload length for a prefix relative to its base (0x80 or 0xc0). */
  length(short: number, end: number): number {
    let length = short
    if (short > 55) {
      const lengthOfLength = short - 55
      if (this.offset + lengthOfLength > end)
        throw new RlpDecodeError('truncated', 'length runs past the end')
      if (this.bytes[this.offset] === 0)
        throw new RlpDecodeError('non-canonical-size', 'length has a leading zero byte')
      length = 0
      // Values past 2^53 lose precision here, but any of them is longer than the input anyway.
      for (let i = 0; i < lengthOfLength; i++) length = length * 256 + this.bytes[this.offset++]!
      if (length < 56) throw new RlpDecodeError('non-canonical-size', `long form used for length ${length}`)
    }
    if (length > end - this.offset)
      throw new RlpDecodeError('truncated', `item of ${length} bytes, only ${end - this.offset} left`)
    return length
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
