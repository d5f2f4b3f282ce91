/**
 * When and what history the messenger fetches: from where the last full fetch ended (or a window
 * back), for every topic or some public chats, by request or in the background at start and on join.
 */
import { type AbortOptions, NotStartedError } from '@parley/interfaces'
import { fetchMissed, historySource } from './history.ts'
import type { Inbound } from './inbound.ts'
import type { Listening } from './listening.ts'
import type { MessengerState } from './state.ts'
import type { MessengerComponents, MessengerOptions } from './types.ts'

export interface HistoryQuery {
  from?: number
  to?: number
  chatIds?: readonly string[]
  storePeer?: string
}

/** The messenger parts a fetch reads from and feeds. */
export interface HistoryParts {
  isStarted(): boolean
  now(): number
  state: MessengerState
  listening: Listening
  inbound: Inbound
}

export class HistorySync {
  readonly #c: MessengerComponents
  readonly #options: MessengerOptions
  readonly #parts: HistoryParts
  #background = new AbortController()

  constructor(components: MessengerComponents, options: MessengerOptions, parts: HistoryParts) {
    this.#c = components
    this.#options = options
    this.#parts = parts
  }

  /** See `Messenger.fetchHistory`. */
  async fetch(query: HistoryQuery = {}, options?: AbortOptions): Promise<number> {
    const { state, listening, inbound } = this.#parts
    if (!this.#parts.isStarted()) throw new NotStartedError('the messenger is not started')
    const to = query.to ?? Math.floor(this.#parts.now() / 1000)
    const window = this.#options.historyWindowSeconds ?? 86_400
    const from = query.from ?? (await state.historySyncedTo(options)) ?? to - window
    const topics =
      query.chatIds === undefined
        ? listening.topics()
        : query.chatIds.map((id) => listening.publicWireTopic(id))
    const storePeer = query.storePeer ?? this.#options.storePeer
    const source = historySource(this.#c, storePeer, this.#options.storePubsubTopic)
    if (source === undefined) return 0
    const deliver = (topic: string, payload: Uint8Array) => {
      const route = listening.route(topic)
      if (route !== undefined) inbound.onPayload(payload, route)
    }
    const count = await fetchMissed(source, topics, { from, to }, deliver, options)
    if (query.chatIds === undefined) await state.setHistorySyncedTo(to, options)
    await inbound.idle()
    return count
  }

  /** With a history service and `autoFetchHistory` on: a fetch nobody waits for, logged when it fails. */
  autoFetch(query: { chatIds?: readonly string[] }): void {
    if (!this.#hasHistory() || this.#options.autoFetchHistory === false) return
    const signal = this.#background.signal
    this.fetch(query, { signal }).catch((error) => {
      if (!signal.aborted) this.#c.logger.warn(`history fetch failed: ${String(error)}`)
    })
  }

  /** Aborts the background fetches (the messenger stops). */
  abortBackground(): void {
    this.#background.abort()
    this.#background = new AbortController()
  }

  #hasHistory(): boolean {
    return historySource(this.#c, this.#options.storePeer, this.#options.storePubsubTopic) !== undefined
  }
}
