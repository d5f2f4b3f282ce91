/**
 * In-memory stand-ins for the protocols a bridge joins, with the behaviour the bridge relies on:
 * a v1 protocol announces every new envelope as `envelope:accepted` (its own posts too, with no
 * `from`), the relay hands its own posts to local subscribers (no `from`).
 */
import { bytesToHex } from '@parley/crypto'
import {
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToHex,
} from '@parley/envelope'
import {
  type AbortOptions,
  type MessageFilter,
  type PrivacyMessage,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
  type V1PrivacyProtocol,
  type V1PrivacyProtocolEvents,
  VerificationError,
} from '@parley/interfaces'
import type { BridgeRelay, BridgeRelayMessage } from '../src/index.ts'

export const TOPIC = '0x5c6c9b56'
export const CONTENT_TOPIC = '/waku/1/0x5c6c9b56/rfc26'

export class FakeV1 extends TypedEventEmitter<V1PrivacyProtocolEvents> {
  readonly posted: PrivacyMessage[] = []
  /** envelopes taken by `inject`, as RLP */
  readonly injected: Uint8Array[] = []
  /** refuse every injection (as a node whose bloom or topic interest misses the topic would) */
  refuseInjections = false
  minPow = 0
  maxMessageSize = 1024 * 1024
  /** how long `post` takes, ms (sealing PoW) */
  postDelayMs = 0

  async post(message: PrivacyMessage): Promise<string> {
    if (this.postDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.postDelayMs))
    this.posted.push(message)
    const envelope = await sealEnvelope({
      topic: hexToTopic(message.topic),
      data: message.payload,
      ttl: message.ttl ?? 50,
      pow: 0,
    })
    this.safeDispatchEvent('envelope:accepted', { envelope: encodeEnvelope(envelope), hash: '0xown' })
    return `0x${this.posted.length}`
  }

  /** As the real protocols: the envelope unchanged (its hash), refused below `minPow`; announced without `from`. */
  async inject(rlp: Uint8Array, options?: AbortOptions): Promise<string> {
    options?.signal?.throwIfAborted()
    const envelope = decodeEnvelope(rlp)
    if (this.refuseInjections || envelopePow(envelope) < this.minPow)
      throw new VerificationError('injected envelope refused: low-pow')
    this.injected.push(rlp)
    const hash = hashOf(envelope)
    this.safeDispatchEvent('envelope:accepted', { envelope: rlp, hash })
    return hash
  }

  /** An envelope arriving from a peer. */
  receive(envelope: Envelope | Uint8Array, from = 'peer'): void {
    const rlp = envelope instanceof Uint8Array ? envelope : encodeEnvelope(envelope)
    this.safeDispatchEvent('envelope:accepted', { envelope: rlp, hash: '0xpeer', from })
  }

  asProtocol(): V1PrivacyProtocol {
    return this as unknown as V1PrivacyProtocol
  }
}

export class FakeRelay implements BridgeRelay {
  readonly posted: BridgeRelayMessage[] = []
  readonly #handlers = new Set<(message: ReceivedMessage) => void>()

  pubsubTopics(): string[] {
    return ['/waku/2/rs/0/0']
  }

  async post(message: BridgeRelayMessage): Promise<string> {
    this.posted.push(message)
    const timestamp = message.timestamp === undefined ? Date.now() : Number(message.timestamp / 1_000_000n)
    this.#deliver({ ...message, hash: `0x${this.posted.length}`, timestamp, pubsubTopic: '/waku/2/rs/0/0' })
    return `0x${this.posted.length}`
  }

  async subscribe(
    _filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
  ): Promise<Subscription> {
    this.#handlers.add(handler)
    return { unsubscribe: async () => void this.#handlers.delete(handler) }
  }

  get subscribers(): number {
    return this.#handlers.size
  }

  /** A message arriving from a peer. */
  receive(message: Partial<ReceivedMessage> & { payload: Uint8Array }, from = 'peer'): void {
    this.#deliver({ topic: CONTENT_TOPIC, version: 1, timestamp: Date.now(), hash: '0x', ...message, from })
  }

  #deliver(message: ReceivedMessage): void {
    for (const handler of this.#handlers) handler(message)
  }
}

/** A fresh v1 envelope on `TOPIC`, sealed with `pow`. */
export function envelopeOf(
  data: Uint8Array,
  init: { ttl?: number; pow?: number; now?: number } = {},
): Promise<Envelope> {
  return sealEnvelope(
    { topic: hexToTopic(TOPIC), data, ttl: init.ttl ?? 30, pow: init.pow ?? 0 },
    init.now === undefined ? {} : { now: init.now },
  )
}

export function hashOf(envelope: Envelope): string {
  return `0x${bytesToHex(envelopeHash(envelope))}`
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

export async function settle(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

export { topicToHex }
