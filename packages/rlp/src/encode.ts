import { InvalidParametersError } from '@parley/interfaces'

/**
 * What `encode` accepts. Strings are deliberately absent: whether "0x12" means text or hex is a
 * guess every caller gets wrong once. Encode text with `TextEncoder` first.
 * Integers are non-negative and encoded big-endian with no leading zeros (0 is the empty string).
 */
export type RlpInput = Uint8Array | number | bigint | readonly RlpInput[]

const EMPTY = new Uint8Array(0)

/**
 * Encodes in two passes: the first measures every list (payload sizes in pre-order), the second
 * writes into one exactly-sized buffer.
 */
export function encode(input: RlpInput): Uint8Array {
  const listSizes: number[] = []
  const out = new Uint8Array(measure(input, listSizes, 0))
  const cursor = { offset: 0, list: 0 }
  write(input, out, cursor, listSizes)
  return out
}

/** Minimal big-endian bytes of a non-negative integer (0 → empty), as RLP stores integers. */
export function fromUint(value: number | bigint): Uint8Array {
  checkUint(value)
  const length = uintLength(value)
  if (length === 0) return EMPTY
  const out = new Uint8Array(length)
  writeUint(value, out, 0, length)
  return out
}

function checkUint(value: number | bigint): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new InvalidParametersError(`rlp: ${value} is not a non-negative safe integer`)
  } else if (value < 0n) {
    throw new InvalidParametersError(`rlp: ${value} is negative`)
  }
}

function uintLength(value: number | bigint): number {
  let length = 0
  if (typeof value === 'number') {
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) length++
  } else {
    for (let rest = value; rest > 0n; rest >>= 8n) length++
  }
  return length
}

function writeUint(value: number | bigint, out: Uint8Array, offset: number, length: number): void {
  if (typeof value === 'number') {
    let rest = value
    for (let i = offset + length - 1; i >= offset; i--) {
      out[i] = rest % 256
      rest = Math.floor(rest / 256)
    }
  } else {
    let rest = value
    for (let i = offset + length - 1; i >= offset; i--) {
      out[i] = Number(rest & 0xffn)
      rest >>= 8n
    }
  }
}

function headerLength(payloadLength: number): number {
  return payloadLength < 56 ? 1 : 1 + uintLength(payloadLength)
}

/** Encoded size of `item`; appends the payload size of each list in pre-order. */
function measure(item: RlpInput, listSizes: number[], depth: number): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) return 1
    return headerLength(item.length) + item.length
  }
  if (typeof item === 'number' || typeof item === 'bigint') {
    checkUint(item)
    if (item < 0x80) return 1
    const length = uintLength(item)
    return headerLength(length) + length
  }
  if (Array.isArray(item)) {
    if (depth > 1024) throw new InvalidParametersError('rlp: input nests too deeply (or is cyclic)')
    const slot = listSizes.length
    listSizes.push(0)
    let payload = 0
    for (const child of item) payload += measure(child, listSizes, depth + 1)
    listSizes[slot] = payload
    return headerLength(payload) + payload
  }
  throw new InvalidParametersError(`rlp: cannot encode ${typeof item}; pass bytes, integers or arrays`)
}

function writeHeader(out: Uint8Array, cursor: { offset: number }, base: number, length: number): void {
  if (length < 56) {
    out[cursor.offset++] = base + length
    return
  }
  const lengthOfLength = uintLength(length)
  out[cursor.offset++] = base + 55 + lengthOfLength
  writeUint(length, out, cursor.offset, lengthOfLength)
  cursor.offset += lengthOfLength
}

function write(
  item: RlpInput,
  out: Uint8Array,
  cursor: { offset: number; list: number },
  listSizes: number[],
): void {
  if (item instanceof Uint8Array) {
    if (item.length !== 1 || item[0]! >= 0x80) writeHeader(out, cursor, 0x80, item.length)
    out.set(item, cursor.offset)
    cursor.offset += item.length
  } else if (typeof item === 'number' || typeof item === 'bigint') {
    if (item === 0 || item === 0n) {
      out[cursor.offset++] = 0x80
    } else if (item < 0x80) {
      out[cursor.offset++] = Number(item)
    } else {
      const length = uintLength(item)
      writeHeader(out, cursor, 0x80, length)
      writeUint(item, out, cursor.offset, length)
      cursor.offset += length
    }
  } else {
    writeHeader(out, cursor, 0xc0, listSizes[cursor.list++]!)
    for (const child of item as readonly RlpInput[]) write(child, out, cursor, listSizes)
  }
}
