/**
 * nwaku's REST message cache: messages per subscribed topic until the next GET takes them. Bounded
 * twice: at most `capacity` messages per topic (the oldest go first) and `maxTopics` topics.
 */
export class MessageCache<Message> {
  readonly #capacity: number
  readonly #maxTopics: number
  readonly #byTopic = new Map<string, Message[]>()

  constructor(capacity: number, maxTopics: number) {
    this.#capacity = capacity
    this.#maxTopics = maxTopics
  }

  isSubscribed(topic: string): boolean {
    return this.#byTopic.has(topic)
  }

  /** Starts caching `topic`; false when the topic limit is reached. */
  subscribe(topic: string): boolean {
    if (this.#byTopic.has(topic)) return true
    if (this.#byTopic.size >= this.#maxTopics) return false
    this.#byTopic.set(topic, [])
    return true
  }

  unsubscribe(topic: string): void {
    this.#byTopic.delete(topic)
  }

  topics(): string[] {
    return [...this.#byTopic.keys()]
  }

  add(topic: string, message: Message): void {
    const messages = this.#byTopic.get(topic)
    if (messages === undefined) return
    messages.push(message)
    if (messages.length > this.#capacity) messages.splice(0, messages.length - this.#capacity)
  }

  /** The messages cached since the last call; undefined when `topic` is not subscribed. */
  take(topic: string): Message[] | undefined {
    const messages = this.#byTopic.get(topic)
    if (messages === undefined) return undefined
    this.#byTopic.set(topic, [])
    return messages
  }
}
