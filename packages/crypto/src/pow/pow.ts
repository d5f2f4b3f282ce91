/**
 * Whisper v6 / Waku v1 proof of work, as go-ethereum (since #19753, v1.9) and status-go compute it:
 *
 *   hash = keccak256(rlp([Expiry, TTL, Topic, Data]) || Nonce as 8 bytes big-endian)
 *   pow  = 2^leadingZeroBits(hash) / len(rlp([Expiry, TTL, Topic, Data])) / TTL
 *
 * EIP-627's prose divides by the size of the whole envelope instead; the deployed nodes divide by
 * the length of the RLP without the nonce, and so do we. Sealing targets a number of leading zero
 * bits derived from the requested pow (see requiredBits).
 */

import { InvalidParametersError } from '@parley/interfaces'
import { keccak256 } from '../hash/index.ts'
import { encodeBytes, encodeList, encodeUint } from './rlp.ts'

/** The envelope fields the proof of work covers. */
export interface PowEnvelopeFields {
  /** unix seconds, uint32 */
  expiry: number
  /** seconds, uint32, at least 1 */
  ttl: number
  /** 4 bytes */
  topic: Uint8Array
  data: Uint8Array
}

export interface PowEnvelope extends PowEnvelopeFields {
  /** uint64 */
  nonce: bigint
}

/** go-ethereum's EnvelopeHeaderLength: what `size()` adds to len(Data) when sealing. */
export const ENVELOPE_HEADER_LENGTH = 20

const UINT32_MAX = 0xffffffff
const UINT64_MAX = (1n << 64n) - 1n

/** rlp([Expiry, TTL, Topic, Data]): the bytes the nonce is appended to. Validates the fields. */
export function powPrefix(envelope: PowEnvelopeFields): Uint8Array {
  const { expiry, ttl, topic, data } = envelope
  if (!Number.isInteger(expiry) || expiry < 0 || expiry > UINT32_MAX) {
    throw new InvalidParametersError(`expiry must be a uint32, got ${expiry}`)
  }
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > UINT32_MAX) {
    throw new InvalidParametersError(`ttl must be a uint32 of at least 1, got ${ttl}`)
  }
  if (topic.length !== 4) throw new InvalidParametersError(`topic must be 4 bytes, got ${topic.length}`)
  return encodeList([encodeUint(expiry), encodeUint(ttl), encodeBytes(topic), encodeBytes(data)])
}

/** keccak256(prefix || nonce as 8 bytes big-endian), prefix = rlp([Expiry, TTL, Topic, Data]). */
export function powHash(prefix: Uint8Array, nonce: bigint): Uint8Array {
  checkNonce(nonce)
  const input = new Uint8Array(prefix.length + 8)
  input.set(prefix)
  new DataView(input.buffer).setBigUint64(prefix.length, nonce)
  // The fastest loaded provider: on receive this hash is a third of an envelope's cost in pure JS.
  return keccak256(input)
}

/** Leading zero bits of a hash read as a big-endian number (256 for all zeros). */
export function leadingZeroBits(hash: Uint8Array): number {
  for (let i = 0; i < hash.length; i++) {
    const byte = hash[i]!
    if (byte !== 0) return i * 8 + Math.clz32(byte) - 24
  }
  return hash.length * 8
}

/** The pow of a hash with `bits` leading zeros: the same float64 operations, in the same order, as go-ethereum. */
export function powFromBits(bits: number, prefixLength: number, ttl: number): number {
  return 2 ** bits / prefixLength / ttl
}

/** The envelope's proof of work, bit for bit what go-ethereum's `Envelope.PoW()` returns. */
export function computePow(envelope: PowEnvelope): number {
  const prefix = powPrefix(envelope)
  return powFromBits(leadingZeroBits(powHash(prefix, envelope.nonce)), prefix.length, envelope.ttl)
}

/** Whether the envelope meets a node's minimum pow (go-ethereum rejects `PoW() < minPow`). */
export function verifyPow(envelope: PowEnvelope, minPow: number): boolean {
  return computePow(envelope) >= minPow
}

/**
 * go-ethereum's `powToFirstBit`: ceil(log2(pow * size * ttl)), at least 1, where `size` is
 * ENVELOPE_HEADER_LENGTH + len(Data). Computed exactly (smallest b with 2^b >= pow * size * ttl);
 * go's float Log2 can differ only when that product is within an ulp of a power of two.
 */
export function requiredBits(pow: number, size: number, ttl: number): number {
  if (!Number.isFinite(pow) || pow < 0)
    throw new InvalidParametersError(`pow must be finite and >= 0, got ${pow}`)
  if (!(size > 0) || !(ttl > 0)) throw new InvalidParametersError('size and ttl must be positive')
  const product = pow * size * ttl
  if (!(product > 2)) return 1
  if (product > 2 ** 256) throw new InvalidParametersError(`pow ${pow} needs more than 256 bits`)
  let bits = Math.ceil(Math.log2(product))
  while (2 ** (bits - 1) >= product) bits--
  while (2 ** bits < product) bits++
  return bits
}

function checkNonce(nonce: bigint): void {
  if (nonce < 0n || nonce > UINT64_MAX)
    throw new InvalidParametersError(`nonce must be a uint64, got ${nonce}`)
}
