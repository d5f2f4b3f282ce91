/**
 * Posting and polling: `post` seals with the envelope codec and hands the Data to the protocol;
 * `newMessageFilter`/`getFilterMessages`/`deleteMessageFilter` keep filters in `MessageFilters`.
 * Names, parameter shapes and error texts are go-ethereum whisperv6's (status-go waku kept them).
 */
import {
  bytesToTopic,
  encodeEnvelope,
  envelopeHash,
  hexToTopic,
  seal,
  sealEnvelope,
  topicToHex,
} from '@parley/envelope'
import { InvalidParametersError, NotFoundError } from '@parley/interfaces'
import { type FilterCriteria, hex } from './filters.ts'
import type { RpcMethod } from './jsonrpc.ts'
import { idParam } from './keys-api.ts'
import type { NamespaceContext } from './namespace.ts'
import {
  arity,
  bool,
  enodeNodeId,
  float,
  hexBytes,
  invalidParams,
  object,
  optional,
  text,
  uint32,
} from './params.ts'

/** Symmetric or asymmetric, never both nor neither (go-ethereum's ErrSymAsym). */
const SYM_ASYM = 'specify either a symmetric or an asymmetric key'

export function messageMethods(context: NamespaceContext): Record<string, RpcMethod> {
  const { protocol, keys, filters, secp256k1 } = context
  return {
    post: async (params, { signal }) => {
      arity(params, 1)
      const request = object(params[0], 0)
      const symKeyID = optional(request.symKeyID, (value) => text(value, 'symKeyID')) ?? ''
      const pubKey = optional(request.pubKey, (value) => hexBytes(value, 'pubKey')) ?? new Uint8Array()
      if ((symKeyID === '') === (pubKey.length === 0)) throw new InvalidParametersError(SYM_ASYM)
      const targetPeer = optional(request.targetPeer, (value) => text(value, 'targetPeer')) || undefined
      const ttl = optional(request.ttl, (value) => uint32(value, 'ttl')) || undefined
      const topic = optional(request.topic, (value) => topicHex(value, 'topic'))
      const payload = optional(request.payload, (value) => hexBytes(value, 'payload')) ?? new Uint8Array()
      const padding = optional(request.padding, (value) => hexBytes(value, 'padding'))
      // powTime is accepted and ignored: we seal until powTarget is met rather than for a time.
      optional(request.powTime, (value) => uint32(value, 'powTime'))
      const minPow = protocol.minPow
      const pow = optional(request.powTarget, (value) => float(value, 'powTarget')) ?? minPow
      const sig = optional(request.sig, (value) => text(value, 'sig')) || undefined
      if (symKeyID !== '' && topic === undefined) throw new InvalidParametersError('missing topic(s)')
      if (pubKey.length > 0 && !secp256k1().isValidPublicKey(pubKey)) {
        throw new InvalidParametersError('invalid public key')
      }
      // As go-ethereum: a message for one peer skips the node's PoW minimum.
      if (targetPeer === undefined && pow < minPow)
        throw new InvalidParametersError('message rejected, PoW too low')
      const maxMessageSize = protocol.maxMessageSize
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
      if (targetPeer !== undefined) {
        const peerId = targetPeerId(targetPeer, context)
        const envelope = await sealEnvelope(
          { topic: hexToTopic(topic ?? '0x00000000'), data, ttl: ttl ?? DEFAULT_TTL, pow },
          { signal },
        )
        await protocol.sendP2PMessages(peerId, [encodeEnvelope(envelope)], { signal })
        return hex(envelopeHash(envelope))
      }
      return protocol.post({ topic: topic ?? '0x00000000', payload: data, ttl, pow }, { signal })
    },

    newMessageFilter: async (params, { signal }) => {
      arity(params, 1)
      return filters.add(criteriaParam(context, params[0], 0), { signal })
    },
    getFilterMessages: (params) => {
      const messages = filters.take(idParam(params))
      if (messages === undefined) throw new NotFoundError('filter not found')
      return messages
    },
    deleteMessageFilter: async (params, { signal }) => {
      if (!(await filters.delete(idParam(params), { signal }))) {
        throw new NotFoundError('failed to unsubscribe: invalid ID')
      }
      return true
    },
  }
}

/** go-ethereum's `Criteria` argument: keys by id, `sig`, `minPow`, `topics`, `allowP2P`. */
export function criteriaParam(context: NamespaceContext, value: unknown, at: number): FilterCriteria {
  const { keys, secp256k1 } = context
  const request = object(value, at)
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
  const allowP2P = optional(request.allowP2P, (value) => bool(value, 'allowP2P')) ?? false
  const signer = sig === undefined ? undefined : secp256k1().convertPublicKey(sig, false)
  if (symKeyID !== '') return { topics, minPow, allowP2P, symKey: keys.symKey(symKeyID), sig: signer }
  if (!keys.hasKeyPair(privateKeyID)) throw new InvalidParametersError('invalid public key')
  // A copy: deleting the key pair overwrites the stored key, and the filter must keep working.
  const privateKey = keys.privateKey(privateKeyID).slice()
  return { topics, minPow, allowP2P, privateKey, sig: signer }
}

/** go-ethereum's `DefaultTTL`, for envelopes we seal ourselves (direct p2p messages). */
const DEFAULT_TTL = 50

/** The node id of `targetPeer`, or go-ethereum's "failed to parse target peer: …". */
function targetPeerId(url: string, context: NamespaceContext): string {
  try {
    return enodeNodeId(url, 0, context.secp256k1())
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new InvalidParametersError(`failed to parse target peer: ${reason}`, { cause: error })
  }
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
