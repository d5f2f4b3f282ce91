/**
 * The messenger: public chats, one-to-one chats and private groups over any privacy protocol.
 *
 * Sending (status-go common/message_sender.go): ChatMessage → signed ApplicationMetadataMessage →
 *  - public: ProtocolMessage{public_message} → v1 payload under the chat-name key → topic(name);
 *  - one-to-one and group (per member): MVDS record in the pair's group → (MVDS transport) secure
 *    transport encrypt → v1 payload, ECIES to the peer on its partitioned topic until the peer has
 *    written to us, then under the negotiated key on the negotiated topic.
 * Receiving runs the other way, one payload at a time, refusing bad input with a typed error that
 * is logged, counted and emitted as `message:rejected`.
 */
import { bytesToHex, equalBytes, hexToBytes, loadCrypto } from '@parley/crypto'
import {
  type AbortOptions,
  InvalidParametersError,
  NotFoundError,
  NotStartedError,
  type ReceivedMessage,
  type Secp256k1Provider,
  type Subscription,
  TypedEventEmitter,
} from '@parley/interfaces'
import { encodeChatMessage, nextClock } from '../chat-message.ts'
import { ApplicationMessageType, ContentType, MessageType } from '../proto/enums.ts'
import { publicChatTopic, symmetricKeyFromPassword, topicFromName } from '../topics.ts'
import { messageId, wrapMessage } from '../wrap.ts'
import { changeGroup, createGroupChat, type GroupContext } from './groups.ts'
import { fetchFromMailserver, fetchFromStore } from './history.ts'
import { Inbound } from './inbound.ts'
import { encodeMembershipUpdate, keyHex, MembershipEventType } from './membership.ts'
import { Outbound } from './outbound.ts'
import { MessengerState, newChat, publicView, type StoredChat } from './state.ts'
import type { Chat, MessengerComponents, MessengerEvents, MessengerOptions, SentMessage } from './types.ts'
import { type TopicKey, usesContentTopics, wireTopic } from './wire.ts'

/** the relay's default pubsub topic (nwaku `DefaultPubsubTopic`) */
const DEFAULT_STORE_PUBSUB_TOPIC = '/waku/2/rs/0/0'

export class Messenger extends TypedEventEmitter<MessengerEvents> {
  readonly #c: MessengerComponents
  readonly #options: MessengerOptions
  readonly #now: () => number
  readonly state: MessengerState
  readonly #chats = new Map<string, StoredChat>()
  readonly #subscriptions = new Map<string, Subscription>()
  /** wire topic → how to open what arrives on it */
  readonly #topics = new Map<string, { key: TopicKey; publicChat: string | undefined }>()
  readonly #contacts = new Set<string>()
  readonly #inbound: Inbound
  readonly #outbound: Outbound
  #started = false
  #background = new AbortController()
  #secp: Secp256k1Provider | undefined
  #publicKeyBytes: Uint8Array | undefined

  constructor(components: MessengerComponents, options: MessengerOptions = {}) {
    super({
      onListenerError: (error) => components.logger.warn(`a messenger listener threw: ${String(error)}`),
    })
    if (components.identityKey.length !== 32)
      throw new InvalidParametersError('identity key must be 32 bytes')
    this.#c = components
    this.#options = options
    this.#now = options.now ?? Date.now
    this.state = new MessengerState(components.store, options.keyPrefix)
    this.#secp = components.secp256k1
    this.#outbound = new Outbound(components, this, { ttl: options.ttl ?? 60, pow: options.pow ?? 0.002 })
    this.#inbound = new Inbound(components, this, {
      chat: (id) => this.#chats.get(id),
      saveChat: (chat, announce) => this.#saveChat(chat, undefined, announce),
      addContact: (peer, opts) => this.#addContact(peer, opts),
    })
  }

  /** the secp256k1 provider (loaded by `start` unless given) */
  get secp256k1(): Secp256k1Provider {
    if (this.#secp === undefined) throw new NotStartedError('the messenger has not loaded its crypto yet')
    return this.#secp
  }

  /** our 65-byte uncompressed public key */
  get publicKeyBytes(): Uint8Array {
    this.#publicKeyBytes ??= this.secp256k1.getPublicKey(this.#c.identityKey, false)
    return this.#publicKeyBytes
  }

  /** our 0x-hex uncompressed public key: what others pass to `startOneToOne` and `createGroup` */
  get publicKey(): string {
    return keyHex(this.publicKeyBytes)
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options?: AbortOptions): Promise<void> {
    if (this.#started) return
    this.#secp ??= (await loadCrypto()).secp256k1
    const ours = this.secp256k1.convertPublicKey(this.publicKeyBytes, true)
    if (!equalBytes(ours, this.#c.secure.identity)) {
      throw new InvalidParametersError('messenger identity key is not the secure transport identity')
    }
    this.#c.sync.setTransport(this.#outbound.transmit)
    this.#c.sync.addEventListener('message:received', this.#inbound.onSyncMessage)
    this.#c.sync.addEventListener('message:delivered', this.#onDelivered)
    this.#started = true
    try {
      const partitioned = topicFromName(this.#c.secure.partitionedTopic())
      await this.#subscribe(
        partitioned,
        { kind: 'asymmetric', privateKey: this.#c.identityKey },
        undefined,
        options,
      )
      for (const chat of await this.state.loadChats(options)) {
        this.#chats.set(chat.id, chat)
        if (chat.type === 'public') await this.#subscribePublic(chat.id, options)
        else for (const member of chat.members) await this.#addContact(member, options)
      }
    } catch (error) {
      await this.stop()
      throw error
    }
    if (this.#hasHistory() && this.#options.autoFetchHistory !== false) {
      this.#backgroundHistory({})
    }
  }

  async stop(): Promise<void> {
    this.#started = false
    this.#background.abort()
    this.#background = new AbortController()
    this.#c.sync.removeEventListener('message:received', this.#inbound.onSyncMessage)
    this.#c.sync.removeEventListener('message:delivered', this.#onDelivered)
    const subscriptions = [...this.#subscriptions.values()]
    this.#subscriptions.clear()
    this.#topics.clear()
    this.#contacts.clear()
    this.#chats.clear()
    await Promise.allSettled(subscriptions.map((subscription) => subscription.unsubscribe()))
    await this.#inbound.idle()
  }

  chats(): Chat[] {
    return [...this.#chats.values()].map(publicView)
  }

  chat(chatId: string): Chat | undefined {
    const chat = this.#chats.get(chatId)
    return chat === undefined ? undefined : publicView(chat)
  }

  /** Joins (or rejoins) the public chat `name`: its topic and key come from the name. */
  async joinPublic(name: string, options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    if (name === '') throw new InvalidParametersError('a public chat needs a name')
    let chat = this.#chats.get(name)
    if (chat === undefined) {
      chat = newChat('public', name, name, [])
      await this.#subscribePublic(name, options)
      await this.#saveChat(chat, options)
      if (this.#hasHistory() && this.#options.autoFetchHistory !== false) {
        this.#backgroundHistory({ chatIds: [name] })
      }
    }
    return publicView(chat)
  }

  /** Opens the one-to-one chat with `publicKey` (0x-hex, compressed or not); its id is the uncompressed key. */
  async startOneToOne(publicKey: string, options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    const peer = this.#normalizeKey(publicKey)
    if (peer === this.publicKey)
      throw new InvalidParametersError('cannot open a one-to-one chat with ourselves')
    let chat = this.#chats.get(peer)
    if (chat === undefined) {
      chat = newChat('one-to-one', peer, peer, [peer])
      await this.#addContact(peer, options)
      await this.#saveChat(chat, options)
    }
    return publicView(chat)
  }

  /** Creates a private group with us as admin and tells every member (signed membership events). */
  async createGroup(name: string, members: readonly string[], options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    const keys = [...new Set(members.map((member) => this.#normalizeKey(member)))].filter(
      (k) => k !== this.publicKey,
    )
    if (keys.length === 0) throw new InvalidParametersError('a group needs at least one other member')
    const chat = await createGroupChat(this.#groupContext(), name, keys, options)
    return publicView(chat)
  }

  /** Adds members to a group we administer; members old and new get every signed event. */
  async addGroupMembers(groupId: string, members: readonly string[], options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    const chat = this.#chats.get(groupId)
    if (chat?.type !== 'group') throw new NotFoundError(`no group ${groupId}`)
    if (!chat.admins.includes(this.publicKey))
      throw new InvalidParametersError('only a group admin adds members')
    const keys = [...new Set(members.map((member) => this.#normalizeKey(member)))]
    const added = keys.filter((key) => !chat.members.includes(key))
    if (added.length > 0)
      await changeGroup(this.#groupContext(), chat, MembershipEventType.MEMBERS_ADDED, added, options)
    return publicView(chat)
  }

  /**
   * Leaves a chat: unsubscribes a public chat; for a group, tells the other members (a signed
   * MEMBER_REMOVED of ourselves) first. The chat is forgotten either way.
   */
  async leaveChat(chatId: string, options?: AbortOptions): Promise<void> {
    this.#assertStarted()
    const chat = this.#chats.get(chatId)
    if (chat === undefined) throw new NotFoundError(`no chat ${chatId}`)
    if (chat.type === 'group' && chat.members.includes(this.publicKey)) {
      await changeGroup(
        this.#groupContext(),
        chat,
        MembershipEventType.MEMBER_REMOVED,
        [this.publicKey],
        options,
      )
    }
    if (chat.type === 'public') {
      const wire = wireTopic(this.#c.privacy, publicChatTopic(chatId))
      const subscription = this.#subscriptions.get(wire)
      this.#subscriptions.delete(wire)
      this.#topics.delete(wire)
      await subscription?.unsubscribe(options)
    }
    this.#chats.delete(chatId)
    await this.state.deleteChat(chatId, options)
  }

  /** Sends a text message to a chat; resolves once it is handed to the network (public) or to MVDS. */
  async sendText(chatId: string, text: string, options?: AbortOptions): Promise<SentMessage> {
    this.#assertStarted()
    const chat = this.#chats.get(chatId)
    if (chat === undefined) throw new NotFoundError(`no chat ${chatId}; join or create it first`)
    if (text === '') throw new InvalidParametersError('cannot send an empty message')
    if (chat.type === 'group' && !chat.members.includes(this.publicKey)) {
      throw new InvalidParametersError(`we are no longer a member of ${chatId}`)
    }
    const timestamp = this.#now()
    const clock = nextClock(chat.lastClock, timestamp)
    chat.lastClock = clock
    await this.#saveChat(chat, options, false)
    const messageType =
      chat.type === 'public'
        ? MessageType.PUBLIC_GROUP
        : chat.type === 'group'
          ? MessageType.PRIVATE_GROUP
          : MessageType.ONE_TO_ONE
    const message = {
      clock,
      timestamp: BigInt(timestamp),
      text,
      responseTo: '',
      ensName: '',
      chatId,
      messageType,
      contentType: ContentType.TEXT_PLAIN,
    }
    const wrapped =
      chat.type === 'group'
        ? this.#wrap(
            encodeMembershipUpdate({ chatId, events: chat.events, message }),
            ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE,
          )
        : this.#wrap(encodeChatMessage(message), ApplicationMessageType.CHAT_MESSAGE)
    const id = `0x${bytesToHex(messageId(this.publicKeyBytes, wrapped))}`
    await this.state.markSeen(id, options)
    if (chat.type === 'public') {
      await this.#outbound.postPublic(chatId, wrapped, options)
    } else {
      for (const member of chat.members) {
        if (member === this.publicKey) continue
        await this.#addContact(member, options)
        await this.#outbound.sendPrivate(member, wrapped, { messageId: id, chatId }, options)
      }
    }
    return { id, chatId, clock, timestamp }
  }

  /**
   * Fetches what our topics carried while we were away — from the mailserver (history client) on
   * Whisper/Waku v1, from `storePeer` (waku2 store) on Waku v2 — and hands it through the usual
   * pipeline, so nothing reaches the app twice. `chatIds` limits it to those public chats; `storePeer`
   * overrides the configured store node. Resolves with the number of envelopes or messages the service returned (0 without a history service).
   */
  async fetchHistory(
    query: { from?: number; to?: number; chatIds?: readonly string[]; storePeer?: string } = {},
    options?: AbortOptions,
  ): Promise<number> {
    this.#assertStarted()
    const to = query.to ?? Math.floor(this.#now() / 1000)
    const window = this.#options.historyWindowSeconds ?? 86_400
    const from = query.from ?? (await this.state.historySyncedTo(options)) ?? to - window
    const topics =
      query.chatIds === undefined
        ? [...this.#subscriptions.keys()]
        : query.chatIds.map((id) => wireTopic(this.#c.privacy, publicChatTopic(id)))
    let count = 0
    if (usesContentTopics(this.#c.privacy)) {
      const storePeer = query.storePeer ?? this.#options.storePeer
      if (this.#c.wakuStore === undefined || storePeer === undefined) return 0
      const source = {
        store: this.#c.wakuStore,
        peer: storePeer,
        pubsubTopic: this.#options.storePubsubTopic ?? DEFAULT_STORE_PUBSUB_TOPIC,
      }
      const deliver = (topic: string, payload: Uint8Array) => {
        const route = this.#topics.get(topic)
        if (route !== undefined) this.#inbound.onPayload(payload, route.key, route.publicChat)
      }
      count = await fetchFromStore(source, topics, { from, to }, deliver, options)
    } else {
      if (this.#c.history === undefined) return 0
      count = await fetchFromMailserver(this.#c.history, topics, { from, to }, options)
    }
    if (query.chatIds === undefined) await this.state.setHistorySyncedTo(to, options)
    await this.#inbound.idle()
    return count
  }

  #groupContext(): GroupContext {
    return {
      publicKey: this.publicKey,
      secp256k1: this.secp256k1,
      identityKey: this.#c.identityKey,
      now: this.#now,
      addContact: (peer, options) => this.#addContact(peer, options),
      saveChat: (chat, options) => this.#saveChat(chat, options),
      sendPrivate: (peer, wrapped, record, options) =>
        this.#outbound.sendPrivate(peer, wrapped, record, options),
    }
  }

  /** A history fetch nobody waits for: logged when it fails, aborted by `stop`. */
  #backgroundHistory(query: { chatIds?: readonly string[] }): void {
    const signal = this.#background.signal
    this.fetchHistory(query, { signal }).catch((error) => {
      if (!signal.aborted) this.#c.logger.warn(`history fetch failed: ${String(error)}`)
    })
  }

  #hasHistory(): boolean {
    return usesContentTopics(this.#c.privacy)
      ? this.#c.wakuStore !== undefined && this.#options.storePeer !== undefined
      : this.#c.history !== undefined
  }

  #assertStarted(): void {
    if (!this.#started) throw new NotStartedError('the messenger is not started')
  }

  #normalizeKey(key: string): string {
    let bytes: Uint8Array
    try {
      bytes = hexToBytes(key)
    } catch (error) {
      throw new InvalidParametersError(`not a hex public key: ${key}`, { cause: error })
    }
    if (!this.secp256k1.isValidPublicKey(bytes)) throw new InvalidParametersError(`not a public key: ${key}`)
    return keyHex(this.secp256k1.convertPublicKey(bytes, false))
  }

  #wrap(payload: Uint8Array, type: number): Uint8Array {
    return wrapMessage(payload, type, this.#c.identityKey, this.secp256k1)
  }

  /** Keeps and stores a chat; `announce` (joined, created, members or name changed) emits `chat:updated`. */
  async #saveChat(chat: StoredChat, options?: AbortOptions, announce = true): Promise<void> {
    this.#chats.set(chat.id, chat)
    await this.state.saveChat(chat, options)
    if (announce) this.safeDispatchEvent('chat:updated', publicView(chat))
  }

  async #subscribePublic(name: string, options?: AbortOptions): Promise<void> {
    const key = await symmetricKeyFromPassword(name, options)
    await this.#subscribe(publicChatTopic(name), { kind: 'symmetric', key }, name, options)
  }

  async #subscribe(topic: Uint8Array, key: TopicKey, publicChat: string | undefined, options?: AbortOptions) {
    const wire = wireTopic(this.#c.privacy, topic)
    if (this.#subscriptions.has(wire)) return
    this.#topics.set(wire, { key, publicChat })
    const handler = (message: ReceivedMessage) => this.#inbound.onPayload(message.payload, key, publicChat)
    const subscription = await this.#c.privacy.subscribe({ topics: [wire], allowP2P: true }, handler, options)
    this.#subscriptions.set(wire, subscription)
  }

  /** Makes `peer` a data-sync peer and listens on our negotiated topic with it. */
  async #addContact(peer: string, options?: AbortOptions): Promise<void> {
    if (this.#contacts.has(peer) || peer === this.publicKey) return
    this.#contacts.add(peer)
    await this.#c.sync.addPeer(this.#outbound.groupId(peer), peer, options)
    const negotiated = await this.#c.secure.negotiatedTopic(this.#outbound.keyBytes(peer), options)
    await this.#subscribe(negotiated.topic, { kind: 'symmetric', key: negotiated.key }, undefined, options)
  }

  readonly #onDelivered = (event: CustomEvent<{ id: Uint8Array; peer: string }>): void => {
    const { id, peer } = event.detail
    this.state
      .sent(id)
      .then((record) => {
        if (record !== undefined) this.safeDispatchEvent('message:delivered', { ...record, peer })
      })
      .catch((error) => this.#c.logger.warn(`delivery receipt lookup failed: ${String(error)}`))
  }
}
