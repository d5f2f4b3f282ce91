/**
 * The messenger: public chats, one-to-one chats and private groups over any privacy protocol.
 *
 * Sending (status-go common/message_sender.go): ChatMessage → signed ApplicationMetadataMessage →
 *  - public: ProtocolMessage{public_message} → v1 payload under the chat-name key → topic(name);
 *  - one-to-one and group (per member): MVDS record in the pair's group → (MVDS transport) secure
 *    transport encrypt → v1 payload, ECIES to the peer on its partitioned topic until the peer has
 *    written to us, then under the negotiated key on the negotiated topic.
 * Receiving runs the other way, one payload at a time, refusing bad input with a typed error that
 * is logged, counted and emitted as `message:rejected`. Our bundle is also advertised on our contact
 * code (contact-code.ts), and we listen on each contact's.
 */
import { equalBytes, loadCrypto } from '@parley/crypto'
import {
  type AbortOptions,
  InvalidParametersError,
  NotFoundError,
  NotStartedError,
  type Secp256k1Provider,
  TypedEventEmitter,
} from '@parley/interfaces'
import { nextClock } from '../chat-message.ts'
import { topicFromName } from '../topics.ts'
import { ChatBook } from './chat-book.ts'
import { composeText } from './compose.ts'
import { ContactCodePublisher } from './contact-code.ts'
import { changeGroup, createGroupChat, type GroupContext } from './groups.ts'
import { HistorySync } from './history-sync.ts'
import { Inbound } from './inbound.ts'
import { Listening } from './listening.ts'
import { keyHex, MembershipEventType } from './membership.ts'
import { Outbound } from './outbound.ts'
import { normalizeKey } from './peer-key.ts'
import { MessengerState, newChat, publicView } from './state.ts'
import type { Chat, MessengerComponents, MessengerEvents, MessengerOptions, SentMessage } from './types.ts'

export class Messenger extends TypedEventEmitter<MessengerEvents> {
  readonly #c: MessengerComponents
  readonly #now: () => number
  readonly state: MessengerState
  readonly #chats: ChatBook
  readonly #listening: Listening
  readonly #inbound: Inbound
  readonly #outbound: Outbound
  readonly #history: HistorySync
  readonly #contactCode: ContactCodePublisher
  #started = false
  #secp: Secp256k1Provider | undefined
  #publicKeyBytes: Uint8Array | undefined

  constructor(components: MessengerComponents, options: MessengerOptions = {}) {
    super({
      onListenerError: (error) => components.logger.warn(`a messenger listener threw: ${String(error)}`),
    })
    if (components.identityKey.length !== 32)
      throw new InvalidParametersError('identity key must be 32 bytes')
    this.#c = components
    this.#now = options.now ?? Date.now
    this.state = new MessengerState(components.store, options.keyPrefix)
    this.#chats = new ChatBook(this.state, (chat) => this.safeDispatchEvent('chat:updated', chat))
    this.#secp = components.secp256k1
    this.#outbound = new Outbound(components, this, { ttl: options.ttl ?? 60, pow: options.pow ?? 0.002 })
    this.#inbound = new Inbound(components, this, {
      chat: (id) => this.#chats.get(id),
      saveChat: (chat, announce) => this.#chats.save(chat, undefined, announce),
      addContact: (peer, opts) => this.#listening.addContact(peer, opts),
    })
    this.#listening = new Listening(components, this, this.#outbound, (payload, route) =>
      this.#inbound.onPayload(payload, route),
    )
    this.#contactCode = new ContactCodePublisher(this, components, this.#outbound, options)
    this.#history = new HistorySync(components, options, {
      isStarted: () => this.#started,
      now: this.#now,
      state: this.state,
      listening: this.#listening,
      inbound: this.#inbound,
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
    this.#c.sync.addEventListener('message:delivered', this.#outbound.onDelivered)
    this.#started = true
    try {
      const partitioned = topicFromName(this.#c.secure.partitionedTopic())
      const key = { kind: 'asymmetric', privateKey: this.#c.identityKey } as const
      await this.#listening.subscribe(partitioned, { key, publicChat: undefined }, options)
      for (const chat of await this.state.loadChats(options)) {
        this.#chats.keep(chat)
        if (chat.type === 'public') await this.#listening.subscribePublic(chat.id, options)
        else for (const member of chat.members) await this.#listening.addContact(member, options)
      }
      for (const contact of await this.state.loadContacts(options))
        await this.#listening.addContact(contact, options)
    } catch (error) {
      await this.stop()
      throw error
    }
    this.#contactCode.start()
    this.#history.autoFetch({})
  }

  async stop(): Promise<void> {
    this.#started = false
    this.#history.abortBackground()
    await this.#contactCode.stop()
    this.#c.sync.removeEventListener('message:received', this.#inbound.onSyncMessage)
    this.#c.sync.removeEventListener('message:delivered', this.#outbound.onDelivered)
    const unsubscribed = this.#listening.clear()
    this.#chats.clear()
    await unsubscribed
    await this.#inbound.idle()
  }

  chats(): Chat[] {
    return this.#chats.views()
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
      await this.#listening.subscribePublic(name, options)
      await this.#chats.save(chat, options)
      this.#history.autoFetch({ chatIds: [name] })
    }
    return publicView(chat)
  }

  /** Opens the one-to-one chat with `publicKey` (0x-hex, compressed or not); its id is the uncompressed key. */
  async startOneToOne(publicKey: string, options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    const peer = normalizeKey(this.secp256k1, publicKey)
    if (peer === this.publicKey)
      throw new InvalidParametersError('cannot open a one-to-one chat with ourselves')
    let chat = this.#chats.get(peer)
    if (chat === undefined) {
      chat = newChat('one-to-one', peer, peer, [peer])
      await this.#listening.addContact(peer, options)
      await this.#chats.save(chat, options)
    }
    return publicView(chat)
  }

  /**
   * Adds a contact (0x-hex key, compressed or not; kept across restarts): listens on its contact code
   * and our negotiated topic with it, and publishes our contact code, as status-go does.
   */
  async addContact(publicKey: string, options?: AbortOptions): Promise<void> {
    this.#assertStarted()
    const peer = normalizeKey(this.secp256k1, publicKey)
    if (peer === this.publicKey) throw new InvalidParametersError('cannot add ourselves as a contact')
    await this.#listening.addContact(peer, options)
    await this.state.saveContact(peer, options)
    this.#contactCode.publishSoon('contact')
  }

  /** Publishes our contact code now (it is also published on a schedule); rejects if the post fails. */
  async publishContactCode(options?: AbortOptions): Promise<void> {
    this.#assertStarted()
    await this.#contactCode.publish('request', options)
  }

  /** Creates a private group with us as admin and tells every member (signed membership events). */
  async createGroup(name: string, members: readonly string[], options?: AbortOptions): Promise<Chat> {
    this.#assertStarted()
    const keys = [...new Set(members.map((member) => normalizeKey(this.secp256k1, member)))].filter(
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
    const keys = [...new Set(members.map((member) => normalizeKey(this.secp256k1, member)))]
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
    if (chat.type === 'public') await this.#listening.unsubscribePublic(chatId, options)
    await this.#chats.forget(chatId, options)
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
    await this.#chats.save(chat, options, false)
    const author = {
      identityKey: this.#c.identityKey,
      publicKeyBytes: this.publicKeyBytes,
      secp256k1: this.secp256k1,
    }
    const { wrapped, id } = composeText(chat, text, { clock, timestamp }, author)
    await this.state.markSeen(id, options)
    if (chat.type === 'public') {
      await this.#outbound.postPublic(chatId, wrapped, options)
    } else {
      for (const member of chat.members) {
        if (member === this.publicKey) continue
        await this.#listening.addContact(member, options)
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
    return this.#history.fetch(query, options)
  }

  #groupContext(): GroupContext {
    return {
      publicKey: this.publicKey,
      secp256k1: this.secp256k1,
      identityKey: this.#c.identityKey,
      now: this.#now,
      addContact: (peer, options) => this.#listening.addContact(peer, options),
      saveChat: (chat, options) => this.#chats.save(chat, options),
      sendPrivate: (peer, wrapped, record, options) =>
        this.#outbound.sendPrivate(peer, wrapped, record, options),
    }
  }

  #assertStarted(): void {
    if (!this.#started) throw new NotStartedError('the messenger is not started')
  }
}
