/** Per topic, up to when history is complete, how the last attempt went, and which mailserver served it. */
import type { TopicHistoryStatus } from '@parley/interfaces'

/** `historyStatus()` entries: the `HistoryClient` shape of `@parley/interfaces`. */
export type TopicHistory = TopicHistoryStatus

export class HistoryLedger {
  readonly #topics = new Map<string, TopicHistory>()

  /** Every page of a range up to `to` arrived. */
  synced(topics: readonly string[], to: number, atMs: number, mailserver: string): void {
    for (const entry of this.#entries(topics, atMs, mailserver)) {
      entry.syncedTo = Math.max(entry.syncedTo ?? to, to)
      entry.lastError = undefined
    }
  }

  /** Some pages arrived and the caller stopped early (`maxPages`): no error, not synced further. */
  attempted(topics: readonly string[], atMs: number, mailserver: string): void {
    for (const entry of this.#entries(topics, atMs, mailserver)) entry.lastError = undefined
  }

  failed(topics: readonly string[], error: string, atMs: number, mailserver: string | undefined): void {
    for (const entry of this.#entries(topics, atMs, mailserver)) entry.lastError = error
  }

  /** Every topic asked about so far, or just `topics`. */
  status(topics?: readonly string[]): TopicHistory[] {
    const wanted = topics ?? [...this.#topics.keys()]
    return wanted.map((topic) => ({ ...(this.#topics.get(topic) ?? blank(topic)) }))
  }

  #entries(topics: readonly string[], atMs: number, mailserver: string | undefined): TopicHistory[] {
    return topics.map((topic) => {
      let entry = this.#topics.get(topic)
      if (entry === undefined) {
        entry = blank(topic)
        this.#topics.set(topic, entry)
      }
      entry.lastAttemptAt = atMs
      if (mailserver !== undefined && mailserver !== '') entry.mailserver = mailserver
      return entry
    })
  }
}

function blank(topic: string): TopicHistory {
  return { topic, syncedTo: undefined, lastAttemptAt: undefined, lastError: undefined, mailserver: undefined }
}
