/**
 * What the messenger listens to: one subscription per wire topic (our partitioned topic, each public
 * chat's, each contact's negotiated one), how to open what arrives on it, and the contacts themselves.
 */
import type { AbortOptions, ReceivedMessage, Subscription } from '@parley/interfaces'
import { publicChatTopic, symmetricKeyFromPassword } from '../topics.ts'
import type { Outbound } from './outbound.ts'
import type { MessengerComponents } from './types.ts'
import { type TopicKey, wireTopic } from './wire.ts'

/** How to open what arrives on one wire topic; `publicChat` names the public chat it carries. */
export interface TopicRoute {
  key: TopicKey
  publicChat: string | undefined
}

type ListeningComponents = Pick<MessengerComponents, 'privacy' | 'sync' | 'secure'>

export type PayloadHandler = (payload: Uint8Array, key: TopicKey, publicChat: string | undefined) => void

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

  async subscribe(
    topic: Uint8Array,
    key: TopicKey,
    publicChat: string | undefined,
    options?: AbortOptions,
  ): Promise<void> {
    const wire = wireTopic(this.#c.privacy, topic)
    if (this.#subscriptions.has(wire)) return
    this.#routes.set(wire, { key, publicChat })
    const handler = (message: ReceivedMessage) => this.#onPayload(message.payload, key, publicChat)
    const subscription = await this.#c.privacy.subscribe({ topics: [wire], allowP2P: true }, handler, options)
    this.#subscriptions.set(wire, subscription)
  }

  async subscribePublic(name: string, options?: AbortOptions): Promise<void> {
    const key = await symmetricKeyFromPassword(name, options)
    await this.subscribe(publicChatTopic(name), { kind: 'symmetric', key }, name, options)
  }

  async unsubscribePublic(name: string, options?: AbortOptions): Promise<void> {
    const wire = this.publicWireTopic(name)
    const subscription = this.#subscriptions.get(wire)
    this.#subscriptions.delete(wire)
    this.#routes.delete(wire)
    await subscription?.unsubscribe(options)
  }

  /** Makes `peer` a data-sync peer and listens on our negotiated topic with it. */
  async addContact(peer: string, options?: AbortOptions): Promise<void> {
    if (this.#contacts.has(peer) || peer === this.#owner.publicKey) return
    this.#contacts.add(peer)
    await this.#c.sync.addPeer(this.#outbound.groupId(peer), peer, options)
    const negotiated = await this.#c.secure.negotiatedTopic(this.#outbound.keyBytes(peer), options)
    await this.subscribe(negotiated.topic, { kind: 'symmetric', key: negotiated.key }, undefined, options)
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
