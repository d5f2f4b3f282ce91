/** Per topic, up to when history is complete, and how the last attempt went. */

export interface TopicHistory {
  /** `0x` + 8 hex digits */
  topic: string
  /** unix seconds up to which every page of a requested range arrived; undefined before the first success */
  syncedTo: number | undefined
  /** unix ms of the last attempt, successful or not */
  lastAttemptAt: number | undefined
  /** the error of the last attempt when it failed; cleared by a success */
  lastError: string | undefined
}

export class HistoryLedger {
  readonly #topics = new Map<string, TopicHistory>()

  synced(topics: readonly string[], to: number, atMs: number): void {
    for (const topic of topics) {
      const entry = this.#entry(topic)
      entry.syncedTo = Math.max(entry.syncedTo ?? to, to)
      entry.lastAttemptAt = atMs
      entry.lastError = undefined
    }
  }

  failed(topics: readonly string[], error: string, atMs: number): void {
    for (const topic of topics) {
      const entry = this.#entry(topic)
      entry.lastAttemptAt = atMs
      entry.lastError = error
    }
  }

  /** Every topic asked about so far, or just `topics`. */
  status(topics?: readonly string[]): TopicHistory[] {
    const wanted = topics ?? [...this.#topics.keys()]
    return wanted.map((topic) => ({ ...(this.#topics.get(topic) ?? this.#blank(topic)) }))
  }

  #entry(topic: string): TopicHistory {
    let entry = this.#topics.get(topic)
    if (entry === undefined) {
      entry = this.#blank(topic)
      this.#topics.set(topic, entry)
    }
    return entry
  }

  #blank(topic: string): TopicHistory {
    return { topic, syncedTo: undefined, lastAttemptAt: undefined, lastError: undefined }
  }
}
