/** Local subscriptions by pubsub topic, then content topic (or every content topic of the pubsub topic). */
import type { ReceivedMessage } from '@parley/interfaces'

type Handler = (message: ReceivedMessage) => void

/** A content-topic key that no content topic can equal, for "every content topic". */
const ANY: unique symbol = Symbol('any content topic')
type ContentKey = string | typeof ANY

export class RelaySubscriptions {
  readonly #byPubsubTopic = new Map<string, Map<ContentKey, Set<Handler>>>()

  /**
   * Registers `handler` for `contentTopics` (empty: all) on each pubsub topic; returns the function
   * that removes it. The same function registered twice is two registrations.
   */
  add(topics: ReadonlyMap<string, readonly string[]>, handler: Handler): () => void {
    const registration: Handler = (message) => handler(message)
    const keys: Array<[string, ContentKey]> = []
    for (const [pubsubTopic, contentTopics] of topics) {
      const contentKeys: readonly ContentKey[] = contentTopics.length === 0 ? [ANY] : contentTopics
      for (const key of contentKeys) keys.push([pubsubTopic, key])
    }
    for (const [pubsubTopic, key] of keys) {
      const byContent = this.#byPubsubTopic.get(pubsubTopic) ?? new Map<ContentKey, Set<Handler>>()
      const handlers = byContent.get(key) ?? new Set<Handler>()
      handlers.add(registration)
      byContent.set(key, handlers)
      this.#byPubsubTopic.set(pubsubTopic, byContent)
    }
    return () => {
      for (const [pubsubTopic, key] of keys) {
        const byContent = this.#byPubsubTopic.get(pubsubTopic)
        byContent?.get(key)?.delete(registration)
        if (byContent?.get(key)?.size === 0) byContent.delete(key)
        if (byContent?.size === 0) this.#byPubsubTopic.delete(pubsubTopic)
      }
    }
  }

  /** Pubsub topics that have at least one subscription. */
  pubsubTopics(): string[] {
    return [...this.#byPubsubTopic.keys()]
  }

  has(pubsubTopic: string): boolean {
    return this.#byPubsubTopic.has(pubsubTopic)
  }

  /** Calls each matching handler once; one that throws goes to `onError`, not to the caller. */
  deliver(message: ReceivedMessage & { pubsubTopic: string }, onError: (error: unknown) => void): void {
    const byContent = this.#byPubsubTopic.get(message.pubsubTopic)
    if (byContent === undefined) return
    const handlers = new Set([...(byContent.get(message.topic) ?? []), ...(byContent.get(ANY) ?? [])])
    for (const handler of handlers) {
      try {
        handler(message)
      } catch (error) {
        onError(error)
      }
    }
  }
}
