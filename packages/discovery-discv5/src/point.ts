/**
 * secp256k1 public key decompression, for the enode id of a discovered record (records carry the
 * 33-byte compressed key; devp2p names a node by the 64-byte x || y). Verification is not needed
 * here: @chainsafe/enr checked the record's signature, so the key is a valid point.
 */
import { DecodeError } from '@parley/interfaces'

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = base % P
  let e = exponent
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P
    b = (b * b) % P
    e >>= 1n
  }
  return result
}

function toHex32(value: bigint): string {
  return value.toString(16).padStart(64, '0')
}

/** The 128-hex-digit `x || y` of a 33-byte compressed key; `DecodeError` if it is not a curve point. */
export function uncompressedKeyHex(compressed: Uint8Array): string {
  const prefix = compressed[0]
  if (compressed.length !== 33 || (prefix !== 2 && prefix !== 3))
    throw new DecodeError('secp256k1: want a 33-byte compressed public key')
  let x = 0n
  for (let i = 1; i < 33; i++) x = (x << 8n) | BigInt(compressed[i]!)
  if (x >= P) throw new DecodeError('secp256k1: x is not a field element')
  const ySquared = (modPow(x, 3n) + 7n) % P
  // P ≡ 3 (mod 4), so a square root is y² ^ ((P + 1) / 4).
  let y = modPow(ySquared, (P + 1n) / 4n)
  if ((y * y) % P !== ySquared) throw new DecodeError('secp256k1: x is not on the curve')
  if ((y & 1n) !== BigInt(prefix & 1)) y = P - y
  return toHex32(x) + toHex32(y)
}
