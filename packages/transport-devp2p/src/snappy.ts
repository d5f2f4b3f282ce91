/**
 * Snappy block format (not the framed/stream format), as RLPx v5 compresses message data (EIP-706).
 *
 *   block   = uvarint(decoded length) || element*
 *   element = literal | copy
 *   tag & 3 = 0: literal, length-1 in tag >> 2 (< 60) or in the next 1..4 bytes (LE) for 60..63
 *           = 1: copy, length 4 + ((tag >> 2) & 7), offset ((tag >> 5) << 8) | next byte
 *           = 2: copy, length (tag >> 2) + 1, offset 2 bytes LE
 *           = 3: copy, length (tag >> 2) + 1, offset 4 bytes LE
 *
 * The decoder reads the declared length first and refuses anything over `maxLength` before it
 * allocates, so a 5-byte header cannot make it reserve gigabytes.
 */
import { DecodeError, InvalidParametersError, LimitExceededError } from '@parley/interfaces'

/** go-ethereum's cap on a decoded RLPx message: the largest 24-bit length (16 MiB - 1). */
export const MAX_SNAPPY_DECODED_LENGTH = 0xffffff

export interface SnappyDecodeOptions {
  /** Largest decoded length accepted. Default `MAX_SNAPPY_DECODED_LENGTH`. */
  maxLength?: number
}

/** The decoded length a block declares, without decoding it. Throws `DecodeError` on a bad varint. */
export function snappyDecodedLength(block: Uint8Array): { length: number; headerLength: number } {
  let length = 0
  for (let i = 0; i < 5; i++) {
    const byte = block[i]
    if (byte === undefined) throw new DecodeError('snappy: truncated length header')
    length += (byte & 0x7f) * 2 ** (7 * i)
    if (byte < 0x80) {
      if (length > 0xffffffff) throw new DecodeError('snappy: declared length exceeds 32 bits')
      return { length, headerLength: i + 1 }
    }
  }
  throw new DecodeError('snappy: length header is longer than 5 bytes')
}

/**
 * Decodes one Snappy block. Throws `LimitExceededError` if the declared length is over the cap and
 * `DecodeError` on any malformed input (bad tag, offset 0 or before the start, length mismatch).
 */
export function snappyDecompress(block: Uint8Array, options: SnappyDecodeOptions = {}): Uint8Array {
  const maxLength = options.maxLength ?? MAX_SNAPPY_DECODED_LENGTH
  const { length, headerLength } = snappyDecodedLength(block)
  if (length > maxLength)
    throw new LimitExceededError(`snappy: decoded length ${length} exceeds the limit of ${maxLength}`)
  const out = new Uint8Array(length)
  let pos = headerLength
  let written = 0
  const byteAt = (index: number): number => {
    const byte = block[index]
    if (byte === undefined) throw new DecodeError('snappy: element runs past the end of the block')
    return byte
  }
  while (pos < block.length) {
    const tag = block[pos++]!
    const kind = tag & 3
    if (kind === 0) {
      let literalLength = (tag >> 2) + 1
      if (literalLength > 60) {
        const extraBytes = literalLength - 60
        literalLength = 0
        for (let i = 0; i < extraBytes; i++) literalLength += byteAt(pos + i) * 2 ** (8 * i)
        literalLength += 1
        pos += extraBytes
      }
      if (pos + literalLength > block.length) throw new DecodeError('snappy: literal runs past the end')
      if (written + literalLength > length) throw new DecodeError('snappy: output exceeds declared length')
      out.set(block.subarray(pos, pos + literalLength), written)
      pos += literalLength
      written += literalLength
      continue
    }
    let copyLength: number
    let offset: number
    if (kind === 1) {
      copyLength = 4 + ((tag >> 2) & 7)
      offset = ((tag >> 5) << 8) | byteAt(pos)
      pos += 1
    } else if (kind === 2) {
      copyLength = (tag >> 2) + 1
      offset = byteAt(pos) | (byteAt(pos + 1) << 8)
      pos += 2
    } else {
      copyLength = (tag >> 2) + 1
      offset = (byteAt(pos) | (byteAt(pos + 1) << 8) | (byteAt(pos + 2) << 16)) + byteAt(pos + 3) * 2 ** 24
      pos += 4
    }
    if (offset === 0 || offset > written) throw new DecodeError(`snappy: copy offset ${offset} is invalid`)
    if (written + copyLength > length) throw new DecodeError('snappy: output exceeds declared length')
    // Byte by byte: a copy may overlap its own output (offset < length repeats a pattern).
    for (let i = 0; i < copyLength; i++) out[written + i] = out[written - offset + i]!
    written += copyLength
  }
  if (written !== length)
    throw new DecodeError(`snappy: decoded ${written} bytes but the header declared ${length}`)
  return out
}

const HASH_BITS = 14
const MIN_MATCH = 4
const MAX_OFFSET = 0xffff

/**
 * Compresses `data` into one Snappy block with a greedy single-probe hash matcher: not as tight as
 * the reference encoder, but every output is valid Snappy and repeated data shrinks.
 */
export function snappyCompress(data: Uint8Array): Uint8Array {
  if (data.length > 0xffffffff) throw new InvalidParametersError('snappy: input longer than 2^32 - 1 bytes')
  // Worst case: all literal, a 5-byte tag per 2^32 bytes, plus the varint header.
  const out = new Uint8Array(10 + data.length + Math.ceil(data.length / 60) * 5)
  let o = writeUvarint(out, 0, data.length)
  const table = new Int32Array(1 << HASH_BITS).fill(-1)
  let literalStart = 0
  let i = 0
  while (i + MIN_MATCH <= data.length) {
    const word = read32(data, i)
    const slot = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS)
    const candidate = table[slot]!
    table[slot] = i
    if (candidate < 0 || i - candidate > MAX_OFFSET || read32(data, candidate) !== word) {
      i++
      continue
    }
    let matchLength = MIN_MATCH
    while (i + matchLength < data.length && data[candidate + matchLength] === data[i + matchLength])
      matchLength++
    o = writeLiteral(out, o, data, literalStart, i)
    o = writeCopy(out, o, i - candidate, matchLength)
    i += matchLength
    literalStart = i
  }
  o = writeLiteral(out, o, data, literalStart, data.length)
  return out.slice(0, o)
}

function read32(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0
}

function writeUvarint(out: Uint8Array, at: number, value: number): number {
  let o = at
  let rest = value
  while (rest >= 0x80) {
    out[o++] = (rest & 0x7f) | 0x80
    rest = Math.floor(rest / 128)
  }
  out[o++] = rest
  return o
}

function writeLiteral(out: Uint8Array, at: number, data: Uint8Array, start: number, end: number): number {
  const length = end - start
  if (length === 0) return at
  let o = at
  const n = length - 1
  if (n < 60) {
    out[o++] = n << 2
  } else {
    let extraBytes = 1
    while (extraBytes < 4 && n >= 2 ** (8 * extraBytes)) extraBytes++
    out[o++] = (59 + extraBytes) << 2
    for (let i = 0; i < extraBytes; i++) out[o++] = Math.floor(n / 2 ** (8 * i)) & 0xff
  }
  out.set(data.subarray(start, end), o)
  return o + length
}

function writeCopy(out: Uint8Array, at: number, offset: number, length: number): number {
  let o = at
  let rest = length
  // Copies of more than 64 bytes are split; keep the last piece at least 4 long so it can use
  // the 1-byte-offset form when the offset allows it.
  while (rest >= 68) {
    o = writeCopyPiece(out, o, offset, 64)
    rest -= 64
  }
  if (rest > 64) {
    o = writeCopyPiece(out, o, offset, 60)
    rest -= 60
  }
  return writeCopyPiece(out, o, offset, rest)
}

function writeCopyPiece(out: Uint8Array, at: number, offset: number, length: number): number {
  if (length >= 4 && length <= 11 && offset < 2048) {
    out[at] = 1 | ((length - 4) << 2) | ((offset >> 8) << 5)
    out[at + 1] = offset & 0xff
    return at + 2
  }
  out[at] = 2 | ((length - 1) << 2)
  out[at + 1] = offset & 0xff
  out[at + 2] = offset >> 8
  return at + 3
}
