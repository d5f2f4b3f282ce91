/**
 * The send side below the chat logic: public posts, and the MVDS transport of one-to-one and group
 * traffic, which encrypts each data-sync payload with the secure transport and posts it ECIES to the
 * peer's partitioned topic until the peer has written to us (so it listens on our negotiated topic),
 * then under the negotiated key on the negotiated topic (status-go `sendPrivate`, `SendingAgreed`).
 */
import { hexToBytes } from '@parley/crypto'
import type { AbortOptions, Counter, Secp256k1Provider } from '@parley/interfaces'
import { publicChatTopic, symmetricKeyFromPassword, topicFromName } from '../topics.ts'
import { oneToOneGroupId } from './group-id.ts'
import type { MessengerState, SentRecord } from './state.ts'
import type { MessengerComponents, MessengerEvents } from './types.ts'
import { postPayload, type WireOptions } from './wire.ts'

export interface OutboundOwner {
  readonly secp256k1: Secp256k1Provider
  readonly publicKeyBytes: Uint8Array
  readonly state: MessengerState
  safeDispatchEvent<K extends keyof MessengerEvents & string>(type: K, detail: MessengerEvents[K]): boolean
}

export class Outbound {
  readonly #c: MessengerComponents
  readonly #owner: OutboundOwner
  readonly #wire: WireOptions
  readonly #keys = new Map<string, Uint8Array>()
  readonly #sent: Counter

  constructor(components: MessengerComponents, owner: OutboundOwner, wire: WireOptions) {
    this.#c = components
    this.#owner = owner
    this.#wire = wire
    this.#sent = components.metrics.counter({
      name: 'parley_messenger_payloads_sent_total',
      help: 'Payloads the messenger posted, by route (public, partitioned, negotiated)',
      labelNames: ['route'],
    })
  }

  /** The bytes of a 0x-hex key the messenger already normalised. */
  keyBytes(peer: string): Uint8Array {
    let bytes = this.#keys.get(peer)
    if (bytes === undefined) {
      bytes = hexToBytes(peer)
      this.#keys.set(peer, bytes)
    }
    return bytes
  }

  /** The MVDS group of us and `peer`. */
  groupId(peer: string): Uint8Array {
    return oneToOneGroupId(this.#owner.secp256k1, this.#owner.publicKeyBytes, this.keyBytes(peer))
  }

  /** A public chat message: ProtocolMessage{public_message} under the chat-name key on its topic. */
  async postPublic(chatName: string, wrapped: Uint8Array, options?: AbortOptions): Promise<void> {
    const payload = await this.#c.secure.encryptPublic(wrapped, options)
    const symKey = await symmetricKeyFromPassword(chatName, options)
    const outgoing = {
      topic: publicChatTopic(chatName),
      payload,
      signingKey: this.#c.identityKey,
      to: { symKey },
    }
    await postPayload(this.#c.privacy, this.#owner.secp256k1, outgoing, this.#wire, options)
    this.#sent.inc({ route: 'public' })
  }

  /** Appends a wrapped message to the pair's MVDS group; remembers which message the record carries. */
  async sendPrivate(
    peer: string,
    wrapped: Uint8Array,
    record: SentRecord,
    options?: AbortOptions,
  ): Promise<void> {
    const syncId = await this.#c.sync.send(this.groupId(peer), wrapped, options)
    await this.#owner.state.saveSent(syncId, record, options)
  }

  /** The MVDS transport. */
  readonly transmit = async (peer: string, payload: Uint8Array, options?: AbortOptions): Promise<void> => {
    const key = this.keyBytes(peer)
    const encrypted = await this.#c.secure.encrypt(key, payload, options)
    const agreed = await this.#owner.state.isAgreed(peer, options)
    let outgoing: { topic: Uint8Array; to: { symKey: Uint8Array } | { publicKey: Uint8Array } }
    if (agreed) {
      const negotiated = await this.#c.secure.negotiatedTopic(key, options)
      outgoing = { topic: negotiated.topic, to: { symKey: negotiated.key } }
    } else {
      outgoing = { topic: topicFromName(this.#c.secure.partitionedTopic(key)), to: { publicKey: key } }
    }
    const message = { ...outgoing, payload: encrypted, signingKey: this.#c.identityKey }
    await postPayload(this.#c.privacy, this.#owner.secp256k1, message, this.#wire, options)
    this.#sent.inc({ route: agreed ? 'negotiated' : 'partitioned' })
  }

  /** A data-sync receipt: `message:delivered` for the message the record carried. */
  readonly onDelivered = (event: CustomEvent<{ id: Uint8Array; peer: string }>): void => {
    const { id, peer } = event.detail
    this.#owner.state
      .sent(id)
      .then((record) => {
        if (record !== undefined) this.#owner.safeDispatchEvent('message:delivered', { ...record, peer })
      })
      .catch((error) => this.#c.logger.warn(`delivery receipt lookup failed: ${String(error)}`))
  }
}
