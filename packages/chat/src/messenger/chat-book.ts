/** The chats the messenger is in: kept in memory, mirrored to the store, announced when they change. */
import type { AbortOptions } from '@parley/interfaces'
import { type Chat, type MessengerState, publicView, type StoredChat } from './state.ts'

export class ChatBook {
  readonly #state: MessengerState
  readonly #announce: (chat: Chat) => void
  readonly #chats = new Map<string, StoredChat>()

  constructor(state: MessengerState, announce: (chat: Chat) => void) {
    this.#state = state
    this.#announce = announce
  }

  get(chatId: string): StoredChat | undefined {
    return this.#chats.get(chatId)
  }

  /** Copies for the app, without the stored events. */
  views(): Chat[] {
    return [...this.#chats.values()].map(publicView)
  }

  /** Keeps a chat loaded from the store. */
  keep(chat: StoredChat): void {
    this.#chats.set(chat.id, chat)
  }

  /** Keeps and stores a chat; `announce` (joined, created, members or name changed) emits `chat:updated`. */
  async save(chat: StoredChat, options?: AbortOptions, announce = true): Promise<void> {
    this.#chats.set(chat.id, chat)
    await this.#state.saveChat(chat, options)
    if (announce) this.#announce(publicView(chat))
  }

  /** Forgets a chat here and in the store. */
  async forget(chatId: string, options?: AbortOptions): Promise<void> {
    this.#chats.delete(chatId)
    await this.#state.deleteChat(chatId, options)
  }

  /** Forgets every chat in memory (the store keeps them for the next start). */
  clear(): void {
    this.#chats.clear()
  }
}
