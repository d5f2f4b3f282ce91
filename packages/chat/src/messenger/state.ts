/**
 * What the messenger keeps in the node's KeyValueStore, under `<prefix>`: chats (with Lamport clock
 * and, for groups, the signed membership events), peers whose negotiated topic is agreed, ids of
 * messages already handed to the app (so a restart or a history fetch never repeats one), which
 * data-sync record carries which of our messages (so a receipt after a restart still names it), the
 * contacts added by hand, and when we last published our contact code.
 */
import { bytesToHex, hexToBytes, utf8ToBytes } from '@parley/crypto'
import type { AbortOptions, KeyValueStore } from '@parley/interfaces'

export type ChatType = 'public' | 'one-to-one' | 'group'

export interface Chat {
  /** public: the name; one-to-one: the peer's 0x-hex uncompressed key; group: `<uuid>-0x<creator key>` */
  id: string
  type: ChatType
  name: string
  /** 0x-hex uncompressed keys: the peer (one-to-one), every member (group), empty (public) */
  members: string[]
  /** group admins */
  admins: string[]
  /** the highest Lamport clock seen or used in the chat */
  lastClock: bigint
}

export interface StoredChat extends Chat {
  /** group only: the signed membership events as received */
  events: Uint8Array[]
}

export function newChat(type: ChatType, id: string, name: string, members: string[]): StoredChat {
  return { id, type, name, members, admins: [], lastClock: 0n, events: [] }
}

/** A copy without the stored events, for the app. */
export function publicView(chat: StoredChat): Chat {
  const { id, type, name, members, admins, lastClock } = chat
  return { id, type, name, members: [...members], admins: [...admins], lastClock }
}

interface ChatRecord {
  id: string
  type: ChatType
  name: string
  members: string[]
  admins: string[]
  lastClock: string
  events: string[]
}

export interface SentRecord {
  messageId: string
  chatId: string
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class MessengerState {
  readonly #store: KeyValueStore
  readonly #prefix: string

  constructor(store: KeyValueStore, prefix = 'messenger/') {
    this.#store = store
    this.#prefix = prefix
  }

  #key(...parts: string[]): Uint8Array {
    return utf8ToBytes(this.#prefix + parts.join('/'))
  }

  async loadChats(options?: AbortOptions): Promise<StoredChat[]> {
    const chats: StoredChat[] = []
    for await (const [, value] of this.#store.entries({ ...options, prefix: this.#key('chat', '') })) {
      const record = JSON.parse(decoder.decode(value)) as ChatRecord
      chats.push({
        ...record,
        lastClock: BigInt(record.lastClock),
        events: record.events.map((event) => hexToBytes(event)),
      })
    }
    return chats
  }

  async saveChat(chat: StoredChat, options?: AbortOptions): Promise<void> {
    const record: ChatRecord = {
      id: chat.id,
      type: chat.type,
      name: chat.name,
      members: chat.members,
      admins: chat.admins,
      lastClock: chat.lastClock.toString(),
      events: chat.events.map((event) => bytesToHex(event)),
    }
    await this.#store.put(this.#key('chat', chat.id), encoder.encode(JSON.stringify(record)), options)
  }

  async deleteChat(chatId: string, options?: AbortOptions): Promise<void> {
    await this.#store.delete(this.#key('chat', chatId), options)
  }

  async isAgreed(peer: string, options?: AbortOptions): Promise<boolean> {
    return this.#store.has(this.#key('agreed', peer), options)
  }

  async setAgreed(peer: string, options?: AbortOptions): Promise<void> {
    await this.#store.put(this.#key('agreed', peer), new Uint8Array(0), options)
  }

  /** true the first time an id is marked */
  async markSeen(id: string, options?: AbortOptions): Promise<boolean> {
    const key = this.#key('seen', id)
    if (await this.#store.has(key, options)) return false
    await this.#store.put(key, new Uint8Array(0), options)
    return true
  }

  async saveSent(syncId: Uint8Array, record: SentRecord, options?: AbortOptions): Promise<void> {
    const value = encoder.encode(JSON.stringify(record))
    await this.#store.put(this.#key('sent', bytesToHex(syncId)), value, options)
  }

  async sent(syncId: Uint8Array, options?: AbortOptions): Promise<SentRecord | undefined> {
    const value = await this.#store.get(this.#key('sent', bytesToHex(syncId)), options)
    return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as SentRecord)
  }

  /** unix seconds up to which history was fetched */
  async historySyncedTo(options?: AbortOptions): Promise<number | undefined> {
    const value = await this.#store.get(this.#key('history'), options)
    return value === undefined ? undefined : Number(decoder.decode(value))
  }

  async setHistorySyncedTo(seconds: number, options?: AbortOptions): Promise<void> {
    await this.#store.put(this.#key('history'), encoder.encode(String(seconds)), options)
  }

  /** contacts added with `Messenger.addContact` (chats' members are contacts anyway) */
  async loadContacts(options?: AbortOptions): Promise<string[]> {
    const prefix = this.#key('contact', '')
    const contacts: string[] = []
    for await (const [key] of this.#store.entries({ ...options, prefix })) {
      contacts.push(decoder.decode(key.subarray(prefix.length)))
    }
    return contacts
  }

  async saveContact(peer: string, options?: AbortOptions): Promise<void> {
    await this.#store.put(this.#key('contact', peer), new Uint8Array(0), options)
  }

  /** unix ms of our last contact-code publication */
  async contactCodePublishedAt(options?: AbortOptions): Promise<number | undefined> {
    const value = await this.#store.get(this.#key('contact-code'), options)
    return value === undefined ? undefined : Number(decoder.decode(value))
  }

  async setContactCodePublishedAt(ms: number, options?: AbortOptions): Promise<void> {
    await this.#store.put(this.#key('contact-code'), encoder.encode(String(ms)), options)
  }
}
