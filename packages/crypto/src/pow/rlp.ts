/**
 * The few RLP encodings the PoW needs: rlp([Expiry, TTL, Topic, Data]) and the full envelope with
 * its nonce. Integers are minimal big-endian strings (0 is the empty string), as go-ethereum encodes
 * them. A general RLP package is out of scope here.
 */

export function encodeUint(value: number | bigint): Uint8Array {
  let rest = BigInt(value)
  if (rest < 0n) throw new RangeError('RLP integers are unsigned')
  const bytes: number[] = []
  while (rest > 0n) {
    bytes.unshift(Number(rest & 0xffn))
    rest >>= 8n
  }
  return encodeBytes(Uint8Array.from(bytes))
}

export function encodeBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes.slice()
  return withHeader(0x80, bytes)
}

export function encodeList(items: readonly Uint8Array[]): Uint8Array {
  return withHeader(0xc0, concat(items))
}

function withHeader(offset: 0x80 | 0xc0, payload: Uint8Array): Uint8Array {
  if (payload.length <= 55) return concat([Uint8Array.of(offset + payload.length), payload])
  const length: number[] = []
  for (let rest = payload.length; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256)
  return concat([Uint8Array.of(offset + 55 + length.length, ...length), payload])
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
