/**
 * The receive pipeline, one payload at a time in arrival order: v1 payload → secure transport →
 * (MVDS, for one-to-one and group traffic) → signed ApplicationMetadataMessage → chat message or
 * membership update. Anything refused is a typed error, logged, counted by reason and emitted as
 * `message:rejected`; it never stops the pipeline.
 */
import { bytesToHex, equalBytes, hexToBytes } from '@parley/crypto'
import {
  type AbortOptions,
  type Counter,
  DecodeError,
  type Secp256k1Provider,
  type SyncMessage,
  VerificationError,
} from '@parley/interfaces'
import { decodeChatMessage } from '../chat-message.ts'
import { decodeContactCodeAdvertisement } from '../contact-code.ts'
import { ApplicationMessageType, MessageType } from '../proto/enums.ts'
import { type UnwrappedMessage, unwrapMessage } from '../wrap.ts'
import type { TopicRoute } from './listening.ts'
import { decodeMembershipUpdate, dedupEvents, foldMembership, keyHex } from './membership.ts'
import { decodeAs, Rejection, reject } from './rejection.ts'
import { type MessengerState, newChat, type StoredChat } from './state.ts'
import type { MessengerComponents, MessengerEvents, MessengerMessage } from './types.ts'
import { openPayload } from './wire.ts'

/** Where a payload came from: a public chat's topic, a contact's contact code, or a private topic. */
type Channel = Pick<TopicRoute, 'publicChat' | 'contactCodeOf'>
const PRIVATE: Channel = { publicChat: undefined }

/** What the pipeline needs of the messenger that owns it. */
export interface InboundOwner {
  readonly publicKey: string
  readonly secp256k1: Secp256k1Provider
  readonly state: MessengerState
  safeDispatchEvent<K extends keyof MessengerEvents & string>(type: K, detail: MessengerEvents[K]): boolean
}

export interface InboundHooks {
  chat(id: string): StoredChat | undefined
  /** `announce`: emit `chat:updated` (new chat, or its name or members changed) */
  saveChat(chat: StoredChat, announce: boolean): Promise<void>
  addContact(peer: string, options?: AbortOptions): Promise<unknown>
}

export class Inbound {
  readonly #c: MessengerComponents
  readonly #owner: InboundOwner
  readonly #hooks: InboundHooks
  readonly #rejected: Counter
  readonly #received: Counter
  #queue: Promise<void> = Promise.resolve()
  #pending = 0

  constructor(components: MessengerComponents, owner: InboundOwner, hooks: InboundHooks) {
    this.#c = components
    this.#owner = owner
    this.#hooks = hooks
    this.#rejected = components.metrics.counter({
      name: 'parley_messenger_rejected_total',
      help: 'Incoming messages the messenger refused, by reason',
      labelNames: ['reason'],
    })
    this.#received = components.metrics.counter({
      name: 'parley_messenger_received_total',
      help: 'Incoming chat messages and membership updates, by outcome',
      labelNames: ['outcome'],
    })
  }

  /** Resolves once every payload queued so far has been handled. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#queue
  }

  readonly onPayload = (payload: Uint8Array, route: TopicRoute): void => {
    this.#enqueue(() => this.#payload(payload, route))
  }

  readonly onSyncMessage = (event: CustomEvent<SyncMessage & { from: string }>): void => {
    const { body, from } = event.detail
    this.#enqueue(() => this.#wrapped(body, hexToBytes(from), PRIVATE, []))
  }

  #enqueue(task: () => Promise<void>): void {
    this.#pending++
    this.#queue = this.#queue
      .then(task)
      .catch((error: unknown) => this.#refuse(error))
      .finally(() => {
        this.#pending--
      })
  }

  #refuse(error: unknown): void {
    const rejection =
      error instanceof Rejection
        ? error
        : new Rejection('malformed', error instanceof Error ? error : new Error(String(error)))
    this.#rejected.inc({ reason: rejection.reason })
    this.#c.logger.debug(`refused a message (${rejection.reason}): ${rejection.error.message}`)
    this.#owner.safeDispatchEvent('message:rejected', { reason: rejection.reason, error: rejection.error })
  }

  async #payload(data: Uint8Array, route: TopicRoute): Promise<void> {
    const { key, publicChat, contactCodeOf } = route
    let opened: ReturnType<typeof openPayload>
    try {
      opened = openPayload(data, key, this.#owner.secp256k1)
    } catch (error) {
      // The partitioned topic is shared with thousands of others: not being able to open is normal.
      if (key.kind === 'asymmetric') return void this.#received.inc({ outcome: 'not-for-us' })
      return reject('undecryptable', error as Error)
    }
    const signer = opened.signer
    if (signer === undefined) reject('unsigned', new VerificationError('payload carries no signature'))
    const sender = keyHex(signer)
    if (sender === this.#owner.publicKey) return // our own post, echoed back
    // Checked before the secure transport learns the bundle it carries.
    if (contactCodeOf !== undefined && sender !== contactCodeOf) {
      reject('signer-mismatch', new VerificationError(`${sender} wrote on ${contactCodeOf}'s contact code`))
    }
    let decrypted: Awaited<ReturnType<MessengerComponents['secure']['decrypt']>>
    try {
      decrypted = await this.#c.secure.decrypt(signer, opened.payload)
    } catch (error) {
      return reject('secure-transport', error as Error)
    }
    if (publicChat !== undefined || contactCodeOf !== undefined) {
      if (decrypted.kind !== undefined && decrypted.kind !== 'public') {
        reject('wrong-chat', new VerificationError('an encrypted message on a public topic'))
      }
      return this.#wrapped(decrypted.plaintext, signer, route, decrypted.installations ?? [])
    }
    // They wrote to us, so they listen on our negotiated topic: send there from now on.
    await this.#hooks.addContact(sender)
    await this.#owner.state.setAgreed(sender)
    try {
      await this.#c.sync.receive(sender, decrypted.plaintext)
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error
      // not a data-sync payload: a bare application message
      await this.#wrapped(decrypted.plaintext, signer, PRIVATE, [])
    }
  }

  async #wrapped(
    bytes: Uint8Array,
    transportSigner: Uint8Array,
    { publicChat, contactCodeOf }: Channel,
    installations: string[],
  ): Promise<void> {
    let unwrapped: UnwrappedMessage
    try {
      unwrapped = unwrapMessage(bytes, this.#owner.secp256k1)
    } catch (error) {
      return reject(error instanceof VerificationError ? 'signature' : 'malformed', error as Error)
    }
    if (!equalBytes(unwrapped.signer, this.#owner.secp256k1.convertPublicKey(transportSigner, false))) {
      reject('signer-mismatch', new VerificationError('the message author is not who sent it'))
    }
    const id = `0x${bytesToHex(unwrapped.id)}`
    const from = keyHex(unwrapped.signer)
    if (from === this.#owner.publicKey) return
    if (contactCodeOf !== undefined) return this.#contactCode(unwrapped, from, installations)
    switch (unwrapped.type) {
      case ApplicationMessageType.CHAT_MESSAGE:
        return this.#chatMessage(unwrapped.payload, id, from, publicChat)
      case ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE:
        if (publicChat !== undefined)
          reject('wrong-chat', new VerificationError('a group update on a public chat'))
        return this.#membershipUpdate(unwrapped.payload, id, from)
      default:
        this.#received.inc({ outcome: 'unsupported-type' })
    }
  }

  /** A contact code: the secure transport has already learnt its bundle; nothing for the chat list. */
  #contactCode(unwrapped: UnwrappedMessage, from: string, installations: string[]): void {
    if (unwrapped.type !== ApplicationMessageType.CONTACT_CODE_ADVERTISEMENT) {
      reject('wrong-chat', new VerificationError(`message type ${unwrapped.type} on a contact-code topic`))
    }
    decodeAs(() => decodeContactCodeAdvertisement(unwrapped.payload))
    this.#received.inc({ outcome: 'contact-code' })
    this.#owner.safeDispatchEvent('contact-code:received', { publicKey: from, installations })
  }

  async #chatMessage(payload: Uint8Array, id: string, from: string, publicChat: string | undefined) {
    const message = decodeAs(() => decodeChatMessage(payload))
    let chat: StoredChat | undefined
    if (publicChat !== undefined) {
      if (message.messageType !== MessageType.PUBLIC_GROUP || message.chatId !== publicChat) {
        reject(
          'wrong-chat',
          new VerificationError(`a message for ${message.chatId} on ${publicChat}'s topic`),
        )
      }
      chat = this.#hooks.chat(publicChat)
    } else if (message.messageType === MessageType.ONE_TO_ONE) {
      if (message.chatId.toLowerCase() !== this.#owner.publicKey) {
        reject('wrong-chat', new VerificationError('a one-to-one message addressed to someone else'))
      }
      chat = this.#hooks.chat(from) ?? newChat('one-to-one', from, from, [from])
    } else if (message.messageType === MessageType.PRIVATE_GROUP) {
      chat = this.#hooks.chat(message.chatId)
      if (
        chat?.type !== 'group' ||
        !chat.members.includes(from) ||
        !chat.members.includes(this.#owner.publicKey)
      ) {
        reject('not-a-member', new VerificationError(`${from} is not a member of ${message.chatId}`))
      }
    } else {
      reject(
        'wrong-chat',
        new VerificationError(`message type ${message.messageType} over a private channel`),
      )
    }
    if (chat === undefined) return // a public chat we left
    await this.#deliver(chat, message, id, from)
  }

  async #membershipUpdate(payload: Uint8Array, id: string, from: string): Promise<void> {
    const update = decodeAs(() => decodeMembershipUpdate(payload))
    const known = this.#hooks.chat(update.chatId)
    if (known !== undefined && known.type !== 'group')
      reject('wrong-chat', new VerificationError('not a group id'))
    const events = [...(known?.events ?? []), ...update.events]
    let state: ReturnType<typeof foldMembership>
    try {
      state = foldMembership(update.chatId, events, this.#owner.secp256k1)
    } catch (error) {
      return reject('membership', error as Error)
    }
    // a member who just left still sends the update saying so
    const wasMember = known?.members.includes(from) === true
    if (!state.members.includes(from) && !wasMember) {
      reject('not-a-member', new VerificationError(`${from} is not a member of ${update.chatId}`))
    }
    if (!state.members.includes(this.#owner.publicKey) && known === undefined) return // not for us
    const unique = dedupEvents(events)
    const chat: StoredChat = {
      id: update.chatId,
      type: 'group',
      name: state.name,
      members: state.members,
      admins: state.admins,
      lastClock: known?.lastClock ?? 0n,
      events: unique,
    }
    if (known === undefined || unique.length !== known.events.length) {
      for (const member of state.members) await this.#hooks.addContact(member)
      await this.#hooks.saveChat(chat, true)
    }
    if (update.message === undefined) return
    if (update.message.chatId !== update.chatId) {
      reject('wrong-chat', new VerificationError('a group message naming another chat'))
    }
    if (!state.members.includes(from)) {
      reject('not-a-member', new VerificationError(`${from} left ${update.chatId}`))
    }
    await this.#deliver(this.#hooks.chat(update.chatId) ?? chat, update.message, id, from)
  }

  async #deliver(
    chat: StoredChat,
    message: ReturnType<typeof decodeChatMessage>,
    id: string,
    from: string,
  ): Promise<void> {
    if (!(await this.#owner.state.markSeen(id))) return void this.#received.inc({ outcome: 'duplicate' })
    const isNew = this.#hooks.chat(chat.id) === undefined
    if (message.clock > chat.lastClock || isNew) {
      if (message.clock > chat.lastClock) chat.lastClock = message.clock
      await this.#hooks.saveChat(chat, isNew)
    }
    this.#received.inc({ outcome: 'delivered' })
    const delivered: MessengerMessage = {
      id,
      chatId: chat.id,
      chatType: chat.type,
      from,
      text: message.text,
      clock: message.clock,
      timestamp: Number(message.timestamp),
      contentType: message.contentType,
      responseTo: message.responseTo,
    }
    this.#owner.safeDispatchEvent('message:received', delivered)
  }
}
