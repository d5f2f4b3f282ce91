/** Local subscriptions by topic (`0x` + 8 lowercase hex digits). */
import type { ReceivedMessage, Subscription } from '@parley/interfaces'

type Handler = (message: ReceivedMessage) => void

export class Subscriptions {
  readonly #byTopic = new Map<string, Set<Handler>>()

  add(topics: readonly string[], handler: Handler): Subscription {
    // Wrapped so that the same function subscribed twice is two subscriptions.
    const entry: Handler = (message) => handler(message)
    for (const topic of topics) {
      const handlers = this.#byTopic.get(topic) ?? new Set<Handler>()
      handlers.add(entry)
      this.#byTopic.set(topic, handlers)
    }
    return {
      unsubscribe: async () => {
        for (const topic of topics) {
          const handlers = this.#byTopic.get(topic)
          handlers?.delete(entry)
          if (handlers?.size === 0) this.#byTopic.delete(topic)
        }
      },
    }
  }

  matching(topic: string): Handler[] {
    return [...(this.#byTopic.get(topic) ?? [])]
  }
}
