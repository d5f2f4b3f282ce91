/**
 * Our own topic interest, with the previous one still accepted for a grace period after a change
 * (as `AcceptancePolicy` does for pow and bloom), so envelopes already in flight from peers that
 * have not yet seen our Status Update are not counted against them.
 */
import { hexToTopic, topicToHex } from '@parley/envelope'

export class TopicInterest {
  #current: Set<string> | undefined
  #previous: { topics: Set<string> | undefined; until: number } | undefined

  constructor(topics: readonly Uint8Array[] | undefined) {
    this.#current = toSet(topics)
  }

  /** `undefined` when we have none (the bloom decides). */
  get topics(): Uint8Array[] | undefined {
    return this.#current === undefined ? undefined : [...this.#current].map((hex) => hexToTopic(hex))
  }

  /** Replaces it; the old one stays accepted up to and including unix second `graceUntil`. */
  set(topics: readonly Uint8Array[] | undefined, graceUntil: number): void {
    this.#previous = { topics: this.#current, until: graceUntil }
    this.#current = toSet(topics)
  }

  accepts(topic: Uint8Array, now: number): boolean {
    const hex = topicToHex(topic)
    if (this.#current === undefined || this.#current.has(hex)) return true
    const previous = this.#previous
    if (previous === undefined || previous.until < now) return false
    return previous.topics === undefined || previous.topics.has(hex)
  }
}

function toSet(topics: readonly Uint8Array[] | undefined): Set<string> | undefined {
  return topics === undefined ? undefined : new Set(topics.map((topic) => topicToHex(topic)))
}
