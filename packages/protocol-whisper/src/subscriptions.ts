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

  wants(topic: string): boolean {
    return this.#byTopic.has(topic)
  }

  /** Calls every handler of the message's topic; one that throws goes to `onError`, not to the caller. */
  deliver(message: ReceivedMessage, onError: (error: unknown) => void): void {
    for (const handler of [...(this.#byTopic.get(message.topic) ?? [])]) {
      try {
        handler(message)
      } catch (error) {
        onError(error)
      }
    }
  }
}
