/**
 * The shh_* methods, with go-ethereum whisperv6's names, parameter shapes, results and error
 * texts. Keys live in `ShhKeyStore`, filters in `MessageFilters`; posting seals with the envelope
 * codec and hands the Data to the Whisper service.
 */
import { generatePrivateKey, randomBytes } from '@parley/crypto'
import { bytesToTopic, seal, symKeyFromPassword, topicToHex } from '@parley/envelope'
import {
  InvalidParametersError,
  NotFoundError,
  type Secp256k1Provider,
  UnsupportedError,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { type FilterCriteria, hex, type MessageFilters } from './filters.ts'
import type { RpcMethod } from './jsonrpc.ts'
import type { ShhKeyStore } from './keys.ts'
import { arity, bool, float, hexBytes, invalidParams, object, optional, text, uint32 } from './params.ts'

/** go-ethereum's `MaxMessageSize`: the ceiling for shh_setMaxMessageSize. */
export const MAX_MESSAGE_SIZE_CEILING = 10 * 1024 * 1024
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024
const BLOOM_LENGTH = 64

export interface ShhContext {
  whisper: V1PrivacyProtocol
  keys: ShhKeyStore
  filters: MessageFilters
  secp256k1: () => Secp256k1Provider
}

/** Symmetric or asymmetric, never both nor neither (go-ethereum's ErrSymAsym). */
const SYM_ASYM = 'specify either a symmetric or an asymmetric key'

export function shhMethods(context: ShhContext): Map<string, RpcMethod> {
  const { whisper, keys, filters, secp256k1 } = context
  let maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE
  const minPow = () => whisper.minPow
  const id = (params: readonly unknown[]) => {
    arity(params, 1)
    return text(params[0], 0)
  }

  const methods: Record<string, RpcMethod> = {
    shh_version: (params) => {
      arity(params, 0)
      return '6.0'
    },
    shh_info: (params) => {
      arity(params, 0)
      const buffered = filters.buffered()
      return { memory: buffered.bytes, messages: buffered.messages, minPow: minPow(), maxMessageSize }
    },
    shh_setMaxMessageSize: (params) => {
      arity(params, 1)
      const size = uint32(params[0], 0)
      if (size > MAX_MESSAGE_SIZE_CEILING) {
        throw new InvalidParametersError(`message size too large [${size}>${MAX_MESSAGE_SIZE_CEILING}]`)
      }
      if (size === 0) throw new InvalidParametersError('message size too small')
      maxMessageSize = size
      return true
    },
    shh_setMinPoW: async (params, options) => {
      arity(params, 1)
      const pow = float(params[0], 0)
      if (pow < 0) throw new InvalidParametersError(`invalid PoW: ${pow}`)
      await whisper.setMinPow(pow, options)
      return true
    },
    shh_setBloomFilter: async (params, options) => {
      arity(params, 1)
      const bloom = hexBytes(params[0], 0)
      if (bloom.length !== BLOOM_LENGTH)
        throw new InvalidParametersError(`invalid bloom filter size ${bloom.length}`)
      await whisper.setBloomFilter(bloom, options)
      return true
    },

    shh_newKeyPair: (params) => {
      arity(params, 0)
      return keys.addPrivateKey(generatePrivateKey())
    },
    shh_addPrivateKey: (params) => {
      arity(params, 1)
      return keys.addPrivateKey(hexBytes(params[0], 0))
    },
    shh_deleteKeyPair: (params) => {
      const key = id(params)
      if (!keys.deleteKeyPair(key)) throw new NotFoundError(`key pair ${key} not found`)
      return true
    },
    shh_hasKeyPair: (params) => keys.hasKeyPair(id(params)),
    shh_getPublicKey: (params) => hex(secp256k1().getPublicKey(keys.privateKey(id(params)), false)),
    shh_getPrivateKey: (params) => hex(keys.privateKey(id(params))),

    shh_newSymKey: (params) => {
      arity(params, 0)
      return keys.addSymKey(randomBytes(32))
    },
    shh_addSymKey: (params) => {
      arity(params, 1)
      return keys.addSymKey(hexBytes(params[0], 0))
    },
    shh_generateSymKeyFromPassword: async (params, options) => {
      arity(params, 1)
      const password = text(params[0], 0)
      return keys.addSymKey(await symKeyFromPassword(password, { signal: options.signal }))
    },
    shh_hasSymKey: (params) => keys.hasSymKey(id(params)),
    shh_getSymKey: (params) => hex(keys.rawSymKey(id(params))),
    shh_deleteSymKey: (params) => keys.deleteSymKey(id(params)),

    shh_post: async (params, options) => {
      arity(params, 1)
      const request = object(params[0], 0)
      const symKeyID = optional(request.symKeyID, (value) => text(value, 'symKeyID')) ?? ''
      const pubKey = optional(request.pubKey, (value) => hexBytes(value, 'pubKey')) ?? new Uint8Array()
      if ((symKeyID === '') === (pubKey.length === 0)) throw new InvalidParametersError(SYM_ASYM)
      if (optional(request.targetPeer, (value) => text(value, 'targetPeer'))) {
        throw new UnsupportedError('targetPeer (direct peer-to-peer messages) is not supported')
      }
      const ttl = optional(request.ttl, (value) => uint32(value, 'ttl')) || undefined
      const topic = optional(request.topic, (value) => topicHex(value, 'topic'))
      const payload = optional(request.payload, (value) => hexBytes(value, 'payload')) ?? new Uint8Array()
      const padding = optional(request.padding, (value) => hexBytes(value, 'padding'))
      // powTime is accepted and ignored: we seal until powTarget is met rather than for a time.
      optional(request.powTime, (value) => uint32(value, 'powTime'))
      const pow = optional(request.powTarget, (value) => float(value, 'powTarget')) ?? minPow()
      const sig = optional(request.sig, (value) => text(value, 'sig')) || undefined
      if (symKeyID !== '' && topic === undefined) throw new InvalidParametersError('missing topic(s)')
      if (pubKey.length > 0 && !secp256k1().isValidPublicKey(pubKey)) {
        throw new InvalidParametersError('invalid public key')
      }
      if (pow < minPow()) throw new InvalidParametersError('message rejected, PoW too low')
      if (payload.length > maxMessageSize) {
        throw new InvalidParametersError(`message size too large [${payload.length}>${maxMessageSize}]`)
      }
      const data = seal(
        {
          payload,
          padding,
          sigKey: sig === undefined ? undefined : keys.privateKey(sig),
          ...(symKeyID !== '' ? { symKey: keys.symKey(symKeyID) } : { publicKey: pubKey }),
        },
        { secp256k1: secp256k1() },
      )
      return whisper.post({ topic: topic ?? '0x00000000', payload: data, ttl, pow }, options)
    },

    shh_newMessageFilter: async (params, options) => {
      arity(params, 1)
      return filters.add(criteria(object(params[0], 0)), options)
    },
    shh_getFilterMessages: (params) => {
      const messages = filters.take(id(params))
      if (messages === undefined) throw new NotFoundError('filter not found')
      return messages
    },
    shh_deleteMessageFilter: async (params, options) => {
      if (!(await filters.delete(id(params), options))) {
        throw new NotFoundError('failed to unsubscribe: invalid ID')
      }
      return true
    },
  }

  function criteria(request: Record<string, unknown>): FilterCriteria {
    const symKeyID = optional(request.symKeyID, (value) => text(value, 'symKeyID')) ?? ''
    const privateKeyID = optional(request.privateKeyID, (value) => text(value, 'privateKeyID')) ?? ''
    if ((symKeyID === '') === (privateKeyID === '')) throw new InvalidParametersError(SYM_ASYM)
    const sig = optional(request.sig, (value) => hexBytes(value, 'sig'))
    if (sig !== undefined && !secp256k1().isValidPublicKey(sig)) {
      throw new InvalidParametersError('invalid signing public key')
    }
    const rawTopics = optional(request.topics, (value) => {
      if (!Array.isArray(value)) throw invalidParams('topics: json: cannot unmarshal non-array into topics')
      return value
    })
    const topics = (rawTopics ?? []).map((topic, index) => filterTopic(topic, index))
    if (topics.length === 0) throw new InvalidParametersError('missing topic(s)')
    const minPow = optional(request.minPow, (value) => float(value, 'minPow')) ?? 0
    optional(request.allowP2P, (value) => bool(value, 'allowP2P'))
    if (symKeyID !== '') return { topics, minPow, symKey: keys.symKey(symKeyID), sig: uncompressed(sig) }
    if (!keys.hasKeyPair(privateKeyID)) throw new InvalidParametersError('invalid public key')
    // A copy: deleting the key pair overwrites the stored key, and the filter must keep working.
    return { topics, minPow, privateKey: keys.privateKey(privateKeyID).slice(), sig: uncompressed(sig) }
  }

  function uncompressed(key: Uint8Array | undefined): Uint8Array | undefined {
    return key === undefined ? undefined : secp256k1().convertPublicKey(key, false)
  }

  return new Map(Object.entries(methods))
}

/** A 4-byte topic as NewMessage carries it. */
function topicHex(value: unknown, at: string): string {
  const bytes = hexBytes(value, at)
  if (bytes.length !== 4)
    throw invalidParams(`${at}: hex string has length ${bytes.length * 2}, want 8 for TopicType`)
  return topicToHex(bytes)
}

/** Criteria topics may be 1–4 bytes, left-aligned into 4 as go-ethereum does. */
function filterTopic(value: unknown, index: number): string {
  const bytes = hexBytes(value, `topics[${index}]`)
  if (bytes.length === 0 || bytes.length > 4) {
    throw new InvalidParametersError(`subscribe: topic ${index} has wrong size: ${bytes.length}`)
  }
  return topicToHex(bytesToTopic(bytes))
}
