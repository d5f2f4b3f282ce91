import { keccak256 } from '@parley/crypto'
import {
  DecodeError,
  InvalidParametersError,
  type Secp256k1Provider,
  VerificationError,
} from '@parley/interfaces'
import { asBytes, asList, decode, encode, type RlpInput, type RlpValue, toBigInt } from '@parley/rlp'
import { fromBase64url, toBase64url } from './base64url.ts'

/** EIP-778: an encoded record is at most 300 bytes. */
export const ENR_MAX_SIZE = 300
const TEXT_PREFIX = 'enr:'
const MAX_SEQ = 2n ** 64n - 1n

/**
 * The structure of a record, before its signature is checked. Keys are binary strings (one char per
 * byte; in practice ASCII), unique and in ascending byte order. Values are decoded RLP items.
 */
export interface EnrContent {
  readonly seq: bigint
  readonly entries: ReadonlyMap<string, RlpValue>
  readonly signature: Uint8Array
}

/** A record whose "v4" signature verified. */
export interface Enr extends EnrContent {
  /** 33-byte compressed secp256k1 key from the `secp256k1` entry. */
  readonly publicKey: Uint8Array
  /** keccak256 of the 64-byte uncompressed key: the discovery node id (not the enode URL's id). */
  readonly nodeId: Uint8Array
  /** The encoded record, exactly as received or signed. */
  readonly bytes: Uint8Array
}

/** What `signEnr` takes. `id` and `secp256k1` are set by signing; other keys are the caller's. */
export interface EnrInit {
  seq: bigint | number
  entries?: Iterable<readonly [string, RlpInput]> | Readonly<Record<string, RlpInput>>
}

/**
 * Decodes the binary or `enr:` text form without checking the signature: the 300-byte limit,
 * the list shape `[signature, seq, k, v, ...]`, a uint64 seq, and sorted unique keys.
 */
export function decodeEnrContent(input: Uint8Array | string): EnrContent & { bytes: Uint8Array } {
  const bytes = typeof input === 'string' ? bytesFromText(input) : input
  if (bytes.length > ENR_MAX_SIZE)
    throw new DecodeError(`enr: record is ${bytes.length} bytes, the limit is ${ENR_MAX_SIZE}`)
  const items = asList(decode(bytes), 'enr record')
  if (items.length < 2) throw new DecodeError('enr: record lacks a signature or seq')
  if (items.length % 2 !== 0) throw new DecodeError('enr: record has a key without a value')
  const signature = asBytes(items[0], 'enr signature')
  const seq = toBigInt(items[1], 8, 'enr seq')
  const entries = new Map<string, RlpValue>()
  let previous: string | undefined
  for (let i = 2; i < items.length; i += 2) {
    const key = binaryString(asBytes(items[i], 'enr key'))
    if (previous !== undefined && key <= previous)
      throw new DecodeError(`enr: key "${key}" is ${key === previous ? 'duplicated' : 'out of order'}`)
    entries.set(key, items[i + 1]!)
    previous = key
  }
  return { seq, entries, signature, bytes }
}

/**
 * Decodes a record and verifies its "v4" identity: a 64-byte r||s signature over
 * keccak256(rlp([seq, k, v, ...])) by the compressed key in `secp256k1`.
 * Malformed input throws `DecodeError`; a signature that does not verify, `VerificationError`.
 */
export function decodeEnr(input: Uint8Array | string, secp: Secp256k1Provider): Enr {
  const content = decodeEnrContent(input)
  const id = content.entries.get('id')
  if (!(id instanceof Uint8Array) || binaryString(id) !== 'v4')
    throw new DecodeError('enr: identity scheme is not "v4"')
  const publicKey = content.entries.get('secp256k1')
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 33 || !secp.isValidPublicKey(publicKey))
    throw new DecodeError('enr: "secp256k1" is not a compressed secp256k1 public key')
  if (content.signature.length !== 64)
    throw new VerificationError(`enr: v4 signature is ${content.signature.length} bytes, want 64`)
  if (!secp.verify(contentHash(content.seq, content.entries), content.signature, publicKey))
    throw new VerificationError('enr: invalid signature')
  return { ...content, publicKey, nodeId: nodeIdOf(publicKey, secp) }
}

/**
 * Builds and signs a "v4" record. RFC 6979 signatures make this deterministic, so re-signing the
 * same content reproduces a published record byte for byte. A record over 300 bytes, a key that
 * is not a binary string, or a seq outside uint64 throw `InvalidParametersError`.
 */
export function signEnr(init: EnrInit, privateKey: Uint8Array, secp: Secp256k1Provider): Enr {
  const seq = BigInt(init.seq)
  if (seq < 0n || seq > MAX_SEQ) throw new InvalidParametersError(`enr: seq ${seq} is not a uint64`)
  const publicKey = secp.getPublicKey(privateKey, true)
  const pairs = new Map<string, RlpInput>(
    init.entries === undefined
      ? []
      : Symbol.iterator in init.entries
        ? (init.entries as Iterable<readonly [string, RlpInput]>)
        : Object.entries(init.entries),
  )
  pairs.set('id', bytesFromBinaryString('v4'))
  pairs.set('secp256k1', publicKey)
  // Normalise every value to what a decoder would return, so the record compares equal to its decode.
  const entries = new Map<string, RlpValue>(
    [...pairs.keys()].sort(compareKeys).map((key) => [key, decode(encode(pairs.get(key)!))]),
  )
  for (const key of entries.keys()) bytesFromBinaryString(key)
  const signature = secp.sign(contentHash(seq, entries), privateKey).subarray(0, 64)
  const bytes = encodeEnr({ seq, entries, signature })
  return { seq, entries, signature, publicKey, nodeId: nodeIdOf(publicKey, secp), bytes }
}

/** rlp([signature, seq, k, v, ...]); throws `InvalidParametersError` past 300 bytes. */
export function encodeEnr(content: EnrContent): Uint8Array {
  const bytes = encode([content.signature, ...flatContent(content.seq, content.entries)])
  if (bytes.length > ENR_MAX_SIZE)
    throw new InvalidParametersError(`enr: record is ${bytes.length} bytes, the limit is ${ENR_MAX_SIZE}`)
  return bytes
}

/** `enr:` followed by unpadded base64url of the record. */
export function enrToText(enr: Pick<Enr, 'bytes'>): string {
  return TEXT_PREFIX + toBase64url(enr.bytes)
}

/** The node id of a compressed or uncompressed key: keccak256 of the 64-byte x || y. */
export function nodeIdOf(publicKey: Uint8Array, secp: Secp256k1Provider): Uint8Array {
  return keccak256(secp.convertPublicKey(publicKey, false).subarray(1))
}

function flatContent(seq: bigint, entries: ReadonlyMap<string, RlpValue>): RlpInput[] {
  const flat: RlpInput[] = [seq]
  for (const key of [...entries.keys()].sort(compareKeys))
    flat.push(bytesFromBinaryString(key), entries.get(key)!)
  return flat
}

function contentHash(seq: bigint, entries: ReadonlyMap<string, RlpValue>): Uint8Array {
  return keccak256(encode(flatContent(seq, entries)))
}

function bytesFromText(text: string): Uint8Array {
  if (!text.startsWith(TEXT_PREFIX)) throw new DecodeError(`enr: text must start with "${TEXT_PREFIX}"`)
  // Base64 of more than 300 bytes is never a valid record: refuse before decoding it.
  if (text.length - TEXT_PREFIX.length > Math.ceil((ENR_MAX_SIZE * 4) / 3))
    throw new DecodeError(`enr: record is over ${ENR_MAX_SIZE} bytes`)
  return fromBase64url(text.slice(TEXT_PREFIX.length))
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Each byte as one UTF-16 unit, so string order is byte order and nothing is lost. */
export function binaryString(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes)
}

function bytesFromBinaryString(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 0xff) throw new InvalidParametersError(`enr: key "${text}" has a character above U+00FF`)
    out[i] = code
  }
  return out
}
