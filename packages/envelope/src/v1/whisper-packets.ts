/**
 * Whisper v6 (`shh/6`) packet payloads other than envelopes: Status, PoW Requirement, Bloom Filter,
 * and the status-im/whisper message confirmations (Batch Ack, Message Response), which Waku v1
 * shares byte for byte.
 */
import { keccak256 } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { asBytes, asList, decode, encode, type RlpValue, toNumber } from '@parley/rlp'
import { BLOOM_SIZE } from './bloom.ts'
import { boolFromRlp, powFromRlp, powToBits } from './pow-bits.ts'

export const WHISPER_PROTOCOL = 'shh'
export const WHISPER_VERSION = 6
/** Message codes shh/6 reserves (go-ethereum `NumberOfMessageCodes`). */
export const WHISPER_MESSAGE_CODES = 128

/** EIP-627 codes, plus the status-im/whisper additions (11, 12, 123–125). */
export const WhisperCode = {
  status: 0,
  messages: 1,
  powRequirement: 2,
  bloomFilter: 3,
  batchAcknowledged: 11,
  messageResponse: 12,
  p2pSyncRequest: 123,
  p2pSyncResponse: 124,
  p2pRequestComplete: 125,
  p2pRequest: 126,
  p2pMessage: 127,
} as const

/**
 * `[6, Float64bits(pow), bloom, isLightNode(, confirmationsEnabled)]`. go-ethereum sends four
 * elements, status-im/whisper five. Decoding requires only the version; a missing field is
 * `undefined` (no bloom means "everything", no pow means the peer's pow is unknown).
 */
export interface WhisperStatus {
  pow?: number
  /** 64 bytes; an empty bloom on the wire decodes as `undefined` */
  bloom?: Uint8Array
  isLightNode?: boolean
  /** status-im/whisper only */
  confirmationsEnabled?: boolean
}

/** The Status payload; five elements when `confirmationsEnabled` is set, else four. */
export function encodeWhisperStatus(status: WhisperStatus): Uint8Array {
  const bloom = status.bloom ?? new Uint8Array(0)
  if (bloom.length !== 0 && bloom.length !== BLOOM_SIZE) {
    throw new InvalidParametersError(`a bloom filter is ${BLOOM_SIZE} bytes, got ${bloom.length}`)
  }
  const fields = [WHISPER_VERSION, powToBits(status.pow ?? 0), bloom, status.isLightNode === true ? 1 : 0]
  if (status.confirmationsEnabled !== undefined) fields.push(status.confirmationsEnabled ? 1 : 0)
  return encode(fields)
}

/**
 * Like go-ethereum's handshake: the version must be 6, a bloom must be 64 bytes or empty, the pow
 * finite and non-negative. Elements after the fifth are ignored (3/WHISPER-USAGE lists a sixth,
 * `rateLimits`, that deployed nodes do not send). Throws only `DecodeError`.
 */
export function decodeWhisperStatus(payload: Uint8Array): WhisperStatus {
  const fields = asList(decode(payload), 'whisper status')
  const version = toNumber(fields[0], 7, 'whisper status version')
  if (version !== WHISPER_VERSION) throw new DecodeError(`whisper status version is ${version}, not 6`)
  const status: WhisperStatus = {}
  if (fields.length > 1) status.pow = powFromRlp(fields[1], 'whisper status pow')
  if (fields.length > 2) {
    const bloom = asBytes(fields[2], 'whisper status bloom')
    if (bloom.length !== 0 && bloom.length !== BLOOM_SIZE) {
      throw new DecodeError(`whisper status bloom is ${bloom.length} bytes, not 64 or 0`)
    }
    if (bloom.length === BLOOM_SIZE) status.bloom = bloom.slice()
  }
  if (fields.length > 3) status.isLightNode = boolFromRlp(fields[3], 'whisper status light node')
  if (fields.length > 4) status.confirmationsEnabled = boolFromRlp(fields[4], 'whisper status confirmations')
  return status
}

/** PoW Requirement (2): `Float64bits(pow)` as an RLP integer. */
export function encodePowRequirement(pow: number): Uint8Array {
  return encode(powToBits(pow))
}

export function decodePowRequirement(payload: Uint8Array): number {
  return powFromRlp(decode(payload))
}

/** Bloom Filter (3): exactly 64 bytes. */
export function encodeBloomFilter(bloom: Uint8Array): Uint8Array {
  if (bloom.length !== BLOOM_SIZE) {
    throw new InvalidParametersError(`a bloom filter is ${BLOOM_SIZE} bytes, got ${bloom.length}`)
  }
  return encode(bloom)
}

export function decodeBloomFilter(payload: Uint8Array): Uint8Array {
  const bloom = asBytes(decode(payload), 'bloom filter')
  if (bloom.length !== BLOOM_SIZE) throw new DecodeError(`bloom filter is ${bloom.length} bytes, not 64`)
  return bloom.slice()
}

/** The batch hash a confirmation refers to: keccak256 of the raw Messages packet payload as received. */
export function batchHash(messagesPayload: Uint8Array): Uint8Array {
  return keccak256(messagesPayload)
}

/** Batch Ack (11): `RLP(batch hash)`. */
export function encodeBatchAck(hash: Uint8Array): Uint8Array {
  return encode(checkHash(hash, InvalidParametersError))
}

export function decodeBatchAck(payload: Uint8Array): Uint8Array {
  return checkHash(asBytes(decode(payload), 'batch ack'), DecodeError).slice()
}

/**
 * Envelope error codes. 6/WAKU1 says time-not-synced is 1; status-go (waku/common) sends 21 and 22,
 * older status-go 34/35, status-im/whisper 36/37. Decoding accepts any code.
 */
export const EnvelopeErrorCode = { timeNotSynced: 21, otherError: 22 } as const

export interface EnvelopeError {
  /** the envelope hash */
  hash: Uint8Array
  code: number
  description: string
}

export interface MessageResponse {
  /** the batch hash (see `batchHash`) */
  hash: Uint8Array
  errors: EnvelopeError[]
}

const MESSAGE_RESPONSE_VERSION = 1

/** Message Response (12): `[1, [batch hash, [[envelope hash, code, description], ...]]]`. */
export function encodeMessageResponse(response: MessageResponse): Uint8Array {
  const errors = response.errors.map((error) => [
    checkHash(error.hash, InvalidParametersError),
    error.code,
    new TextEncoder().encode(error.description),
  ])
  return encode([MESSAGE_RESPONSE_VERSION, [checkHash(response.hash, InvalidParametersError), errors]])
}

/** Version 1 only, as status-go; every list has exactly its fields. Throws only `DecodeError`. */
export function decodeMessageResponse(payload: Uint8Array): MessageResponse {
  const outer = exactList(decode(payload), 2, 'message response')
  const version = toNumber(outer[0], 7, 'message response version')
  if (version !== MESSAGE_RESPONSE_VERSION)
    throw new DecodeError(`message response version ${version} is not 1`)
  const body = exactList(outer[1], 2, 'message response body')
  const errors = asList(body[1], 'message response errors').map((item) => {
    const [hash, code, description] = exactList(item, 3, 'envelope error')
    return {
      hash: checkHash(asBytes(hash, 'envelope error hash'), DecodeError).slice(),
      code: toNumber(code, 7, 'envelope error code'),
      description: new TextDecoder().decode(asBytes(description, 'envelope error description')),
    }
  })
  return { hash: checkHash(asBytes(body[0], 'message response hash'), DecodeError).slice(), errors }
}

function exactList(value: RlpValue | undefined, length: number, what: string): RlpValue[] {
  const list = asList(value, what)
  if (list.length !== length) throw new DecodeError(`${what} has ${list.length} elements, not ${length}`)
  return list
}

function checkHash(hash: Uint8Array, ErrorClass: new (message: string) => Error): Uint8Array {
  if (hash.length !== 32) throw new ErrorClass(`a hash is 32 bytes, got ${hash.length}`)
  return hash
}
