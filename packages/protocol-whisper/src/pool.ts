/** Accepted envelopes, kept until they expire so that peers connecting later still get them. */
import type { Envelope } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'

export interface PooledEnvelope {
  /** `0x` + keccak256 of the envelope, hex */
  hash: string
  envelope: Envelope
  /** the pow we computed when it arrived (or when we sealed it) */
  pow: number
  /** sealed by this node: a light node relays only these */
  own: boolean
}

export class EnvelopePool {
  readonly #entries = new Map<string, PooledEnvelope>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#entries.size
  }

  add(entry: PooledEnvelope): void {
    this.#entries.set(entry.hash, entry)
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#entries.delete(oldest.value)
    }
  }

  values(): IterableIterator<PooledEnvelope> {
    return this.#entries.values()
  }

  /** Drops every envelope whose expiry is before `now` (unix seconds), and returns them. */
  sweep(now: number): PooledEnvelope[] {
    const expired: PooledEnvelope[] = []
    for (const [hash, entry] of this.#entries) {
      if (entry.envelope.expiry >= now) continue
      this.#entries.delete(hash)
      expired.push(entry)
    }
    return expired
  }

  clear(): void {
    this.#entries.clear()
  }
}

/** The message subscribers see: the envelope's Data as the payload, its send time in ms. */
export function receivedMessage(
  entry: PooledEnvelope,
  topic: string,
  from?: string,
  p2p = false,
): ReceivedMessage {
  const { envelope } = entry
  return {
    topic,
    payload: envelope.data,
    ttl: envelope.ttl,
    pow: entry.pow,
    hash: entry.hash,
    timestamp: ((envelope.expiry - envelope.ttl) >>> 0) * 1000,
    ...(from === undefined ? {} : { from }),
    ...(p2p ? { p2p } : {}),
  }
}
