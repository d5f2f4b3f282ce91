/**
 * The bottom of the messenger stack: a Status payload becomes a signed version-1 payload (AES-GCM
 * under a topic key, or ECIES to a public key) posted on a 4-byte topic, which Whisper/Waku v1 carry
 * as `0x<8 hex>` and Waku v2 as the content topic `/waku/1/0x<8 hex>/rfc26` (WakuMessage version 1).
 */
import { open, seal } from '@parley/envelope'
import type { AbortOptions, PrivacyMessage, PrivacyProtocol, Secp256k1Provider } from '@parley/interfaces'
import { contentTopic, topicToString } from '../topics.ts'

export type TopicKey = { kind: 'symmetric'; key: Uint8Array } | { kind: 'asymmetric'; privateKey: Uint8Array }

export interface WireOptions {
  /** seconds to live on Whisper/Waku v1 */
  ttl: number
  /** proof of work for Whisper/Waku v1 */
  pow: number
}

/** Is this privacy protocol of the Waku v2 generation (content topics)? */
export function usesContentTopics(privacy: Pick<PrivacyProtocol, 'protocol'>): boolean {
  return !privacy.protocol.startsWith('shh') && !privacy.protocol.startsWith('waku/1')
}

/** The topic string this privacy protocol uses for a 4-byte topic. */
export function wireTopic(privacy: Pick<PrivacyProtocol, 'protocol'>, topic: Uint8Array): string {
  return usesContentTopics(privacy) ? contentTopic(topic) : topicToString(topic)
}

export interface Outgoing {
  topic: Uint8Array
  payload: Uint8Array
  signingKey: Uint8Array
  /** symmetric key, or the recipient's public key for ECIES */
  to: { symKey: Uint8Array } | { publicKey: Uint8Array }
}

export async function postPayload(
  privacy: PrivacyProtocol,
  secp256k1: Secp256k1Provider,
  outgoing: Outgoing,
  settings: WireOptions,
  options?: AbortOptions,
): Promise<string> {
  const data = seal({ payload: outgoing.payload, sigKey: outgoing.signingKey, ...outgoing.to }, { secp256k1 })
  // `version` is a Waku v2 field (WakuRelayMessage); v1 protocols ignore it.
  const message: PrivacyMessage & { version: number } = {
    topic: wireTopic(privacy, outgoing.topic),
    payload: data,
    ttl: settings.ttl,
    pow: settings.pow,
    version: 1,
  }
  return privacy.post(message, options)
}

export interface OpenedPayload {
  payload: Uint8Array
  /** 65-byte uncompressed key of the signer */
  signer: Uint8Array | undefined
}

/** Decrypts a received payload; throws DecodeError/VerificationError like `@parley/envelope` `open`. */
export function openPayload(data: Uint8Array, key: TopicKey, secp256k1: Secp256k1Provider): OpenedPayload {
  const opened =
    key.kind === 'symmetric'
      ? open(data, { symKey: key.key, secp256k1 })
      : open(data, { privateKey: key.privateKey, secp256k1 })
  return { payload: Uint8Array.from(opened.payload), signer: opened.signer }
}
