/**
 * What the messenger listens to: one subscription per wire topic (our partitioned topic, each public
 * chat's, each contact's negotiated one and contact code), how to open what arrives on it, and the
 * contacts themselves.
 */
import type { AbortOptions, ReceivedMessage, Subscription } from '@parley/interfaces'
import { contactCodeTopicName, publicChatTopic, symmetricKeyFromPassword, topicFromName } from '../topics.ts'
import type { Outbound } from './outbound.ts'
import type { MessengerComponents } from './types.ts'
import { type TopicKey, wireTopic } from './wire.ts'

/**
 * How to open what arrives on one wire topic; `publicChat` names the public chat it carries,
 * `contactCodeOf` the contact (0x-hex uncompressed key) whose contact code it carries.
 */
export interface TopicRoute {
  key: TopicKey
  publicChat: string | undefined
  contactCodeOf?: string
}

type ListeningComponents = Pick<MessengerComponents, 'privacy' | 'sync' | 'secure'>

export type PayloadHandler = (payload: Uint8Array, route: TopicRoute) => void

export class Listening {
  readonly #c: ListeningComponents
  readonly #owner: { readonly publicKey: string }
  readonly #outbound: Pick<Outbound, 'groupId' | 'keyBytes'>
  readonly #onPayload: PayloadHandler
  readonly #subscriptions = new Map<string, Subscription>()
  /** wire topic → how to open what arrives on it */
  readonly #routes = new Map<string, TopicRoute>()
  readonly #contacts = new Set<string>()

  constructor(
    components: ListeningComponents,
    owner: { readonly publicKey: string },
    outbound: Pick<Outbound, 'groupId' | 'keyBytes'>,
    onPayload: PayloadHandler,
  ) {
    this.#c = components
    this.#owner = owner
    this.#outbound = outbound
    this.#onPayload = onPayload
  }

  /** The wire topics subscribed to. */
  topics(): string[] {
    return [...this.#subscriptions.keys()]
  }

  route(wire: string): TopicRoute | undefined {
    return this.#routes.get(wire)
  }

  /** The wire topic of the public chat `name`. */
  publicWireTopic(name: string): string {
    return wireTopic(this.#c.privacy, publicChatTopic(name))
  }

  async subscribe(topic: Uint8Array, route: TopicRoute, options?: AbortOptions): Promise<void> {
    const wire = wireTopic(this.#c.privacy, topic)
    if (this.#subscriptions.has(wire)) return
    this.#routes.set(wire, route)
    const handler = (message: ReceivedMessage) => this.#onPayload(message.payload, route)
    const subscription = await this.#c.privacy.subscribe({ topics: [wire], allowP2P: true }, handler, options)
    this.#subscriptions.set(wire, subscription)
  }

  async subscribePublic(name: string, options?: AbortOptions): Promise<void> {
    const key = await symmetricKeyFromPassword(name, options)
    await this.subscribe(
      publicChatTopic(name),
      { key: { kind: 'symmetric', key }, publicChat: name },
      options,
    )
  }

  async unsubscribePublic(name: string, options?: AbortOptions): Promise<void> {
    const wire = this.publicWireTopic(name)
    const subscription = this.#subscriptions.get(wire)
    this.#subscriptions.delete(wire)
    this.#routes.delete(wire)
    await subscription?.unsubscribe(options)
  }

  /**
   * Makes `peer` a data-sync peer and listens on our negotiated topic with it and on its contact
   * code, where its current bundle is advertised. Resolves true if `peer` was not a contact yet.
   */
  async addContact(peer: string, options?: AbortOptions): Promise<boolean> {
    if (this.#contacts.has(peer) || peer === this.#owner.publicKey) return false
    this.#contacts.add(peer)
    const bytes = this.#outbound.keyBytes(peer)
    await this.#c.sync.addPeer(this.#outbound.groupId(peer), peer, options)
    const negotiated = await this.#c.secure.negotiatedTopic(bytes, options)
    const negotiatedKey = { kind: 'symmetric', key: negotiated.key } as const
    await this.subscribe(negotiated.topic, { key: negotiatedKey, publicChat: undefined }, options)
    const contactCode = contactCodeTopicName(bytes)
    const key = { kind: 'symmetric', key: await symmetricKeyFromPassword(contactCode, options) } as const
    await this.subscribe(
      topicFromName(contactCode),
      { key, publicChat: undefined, contactCodeOf: peer },
      options,
    )
    return true
  }

  /** Forgets every topic and contact at once; resolves when the subscriptions have ended. */
  async clear(): Promise<void> {
    const subscriptions = [...this.#subscriptions.values()]
    this.#subscriptions.clear()
    this.#routes.clear()
    this.#contacts.clear()
    await Promise.allSettled(subscriptions.map((subscription) => subscription.unsubscribe()))
  }
}
