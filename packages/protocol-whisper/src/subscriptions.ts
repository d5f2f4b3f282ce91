/** Local subscriptions by topic (`0x` + 8 lowercase hex digits). */
import type { ReceivedMessage, Subscription } from '@parley/interfaces'

type Handler = (message: ReceivedMessage) => void

interface Entry {
  handler: Handler
  /** also takes envelopes a trusted peer sent directly (geth's `AllowP2P`) */
  allowP2P: boolean
}

export class Subscriptions {
  readonly #byTopic = new Map<string, Set<Entry>>()

  add(topics: readonly string[], handler: Handler, allowP2P = false): Subscription {
    // A fresh entry, so that the same function subscribed twice is two subscriptions.
    const entry: Entry = { handler, allowP2P }
    for (const topic of topics) {
      const entries = this.#byTopic.get(topic) ?? new Set<Entry>()
      entries.add(entry)
      this.#byTopic.set(topic, entries)
    }
    return {
      unsubscribe: async () => {
        for (const topic of topics) {
          const entries = this.#byTopic.get(topic)
          entries?.delete(entry)
          if (entries?.size === 0) this.#byTopic.delete(topic)
        }
      },
    }
  }

  /** Whether a subscription takes this topic; for a direct (p2p) message, one that allows p2p. */
  wants(topic: string, p2p = false): boolean {
    const entries = this.#byTopic.get(topic)
    if (entries === undefined) return false
    if (!p2p) return true
    for (const entry of entries) if (entry.allowP2P) return true
    return false
  }

  /**
   * Calls every handler of the message's topic (for a p2p message, those that allow p2p); one that
   * throws goes to `onError`, not to the caller.
   */
  deliver(message: ReceivedMessage, onError: (error: unknown) => void): void {
    for (const entry of [...(this.#byTopic.get(message.topic) ?? [])]) {
      if (message.p2p === true && !entry.allowP2P) continue
      try {
        entry.handler(message)
      } catch (error) {
        onError(error)
      }
    }
  }
}
