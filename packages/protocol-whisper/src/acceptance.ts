/**
 * What we accept from peers: our pow requirement and bloom filter, each with the previous value
 * still accepted for a grace period after a change (go-ethereum's tolerance), and the size and
 * time rules of `validateEnvelope`.
 */
import { type Envelope, type EnvelopeVerdict, validateEnvelope } from '@parley/envelope'
import type { WhisperSettings } from './options.ts'

interface Previous<T> {
  value: T
  /** unix seconds; the previous value is accepted up to and including this second */
  until: number
}

export class AcceptancePolicy {
  readonly #settings: WhisperSettings
  #minPow: number
  #bloom: Uint8Array
  #previousPow: Previous<number> | undefined
  #previousBloom: Previous<Uint8Array> | undefined

  constructor(settings: WhisperSettings) {
    this.#settings = settings
    this.#minPow = settings.minPow
    this.#bloom = settings.bloom.slice()
  }

  get minPow(): number {
    return this.#minPow
  }

  get bloom(): Uint8Array {
    return this.#bloom
  }

  setMinPow(pow: number): void {
    this.#previousPow = { value: this.#minPow, until: this.#graceEnd() }
    this.#minPow = pow
  }

  setBloom(bloom: Uint8Array): void {
    this.#previousBloom = { value: this.#bloom, until: this.#graceEnd() }
    this.#bloom = bloom.slice()
  }

  validate(envelope: Envelope, now: number): EnvelopeVerdict {
    const previousPow = live(this.#previousPow, now)
    const previousBloom = live(this.#previousBloom, now)
    const options = {
      minPow: Math.min(this.#minPow, previousPow?.value ?? Number.POSITIVE_INFINITY),
      now,
      maxSize: this.#settings.maxMessageSize,
      syncAllowance: this.#settings.syncAllowance,
    }
    const verdict = validateEnvelope(envelope, { ...options, bloom: this.#bloom })
    if (verdict.ok || verdict.reason !== 'bloom-mismatch' || previousBloom === undefined) return verdict
    return validateEnvelope(envelope, { ...options, bloom: previousBloom.value })
  }

  /** Peers get `syncAllowance` seconds to learn of a new bloom or pow, as in go-ethereum. */
  #graceEnd(): number {
    return this.#settings.now() + this.#settings.syncAllowance
  }
}

function live<T>(previous: Previous<T> | undefined, now: number): Previous<T> | undefined {
  return previous !== undefined && previous.until >= now ? previous : undefined
}
