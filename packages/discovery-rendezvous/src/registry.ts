import { binaryString, decodeEnr } from '@parley/enr'
import { InvalidConfigError, type Secp256k1Provider } from '@parley/interfaces'
import { Status } from './messages.ts'

/** The status-im server's limits (server/server.go). */
export const MAX_TTL_NS = 20_000_000_000n
export const NETWORK_DELAY_MS = 500
export const MAX_DISCOVER_LIMIT = 10
export const MAX_TOPIC_BYTES = 50

export interface RendezvousRegistryInit {
  /** verifies ENR signatures */
  secp256k1: Secp256k1Provider
  /** milliseconds; default `Date.now` */
  now?: () => number
  /** uniform in [0, 1); default `Math.random` */
  random?: () => number
  /** bounds memory: registrations beyond this are refused with E_INTERNAL_ERROR. Default 100 000. */
  maxRecords?: number
  /**
   * Live records one owner (the libp2p peer that sent them) may hold per topic; more are refused with
   * E_NOT_AUTHORIZED. A node re-registering its own record replaces it and does not count twice.
   * Default 2 (room for a key change within one TTL).
   */
  maxPerOwner?: number
}

export interface RegisterResult {
  status: number
  message: string
}

interface Registration {
  record: Uint8Array
  expiresAt: number
  owner: string | undefined
}

/**
 * The server's registration store: per topic, one record per node id (a new registration replaces
 * the old one), each living TTL + 500 ms. `discover` returns up to 10 live records in random order.
 */
export class RendezvousRegistry {
  readonly #secp: Secp256k1Provider
  readonly #now: () => number
  readonly #random: () => number
  readonly #maxRecords: number
  readonly #maxPerOwner: number
  /** `topic \0 owner` → live records that owner holds under that topic */
  readonly #owned = new Map<string, number>()
  /** topic (binary string) → node id (binary string) → registration */
  readonly #topics = new Map<string, Map<string, Registration>>()
  #count = 0

  constructor(init: RendezvousRegistryInit) {
    this.#secp = init.secp256k1
    this.#now = init.now ?? Date.now
    this.#random = init.random ?? Math.random
    this.#maxRecords = init.maxRecords ?? 100_000
    if (!Number.isSafeInteger(this.#maxRecords) || this.#maxRecords < 1) {
      throw new InvalidConfigError(`maxRecords must be a positive integer, got ${init.maxRecords}`)
    }
    this.#maxPerOwner = init.maxPerOwner ?? 2
    if (!Number.isSafeInteger(this.#maxPerOwner) || this.#maxPerOwner < 1) {
      throw new InvalidConfigError(`maxPerOwner must be a positive integer, got ${init.maxPerOwner}`)
    }
  }

  /**
   * Checks in the server's order: topic, TTL, record; then this server's limits (per owner, total).
   * `owner` is whoever sent the record (a libp2p peer id); without one only the total is bounded.
   */
  register(topic: Uint8Array, record: Uint8Array, ttlNs: bigint, owner?: string): RegisterResult {
    if (!isValidTopic(topic))
      return refuse(Status.E_INVALID_NAMESPACE, 'topic must be 1..50 bytes without 0xff')
    if (ttlNs < 0n || ttlNs > MAX_TTL_NS) return refuse(Status.E_INVALID_TTL, 'ttl must be at most 20 s')
    let nodeId: Uint8Array
    try {
      nodeId = decodeEnr(record, this.#secp).nodeId
    } catch {
      return refuse(Status.E_INVALID_ENR, 'record is not a valid signed ENR')
    }
    this.#purge(topic)
    const key = binaryString(topic)
    const records = this.#topics.get(key) ?? new Map<string, Registration>()
    const id = binaryString(nodeId)
    const previous = records.get(id)
    const ownerKey = owner === undefined ? undefined : `${key}\0${owner}`
    if (ownerKey !== undefined && previous?.owner !== owner) {
      if ((this.#owned.get(ownerKey) ?? 0) >= this.#maxPerOwner)
        return refuse(Status.E_NOT_AUTHORIZED, 'too many records from this peer under this topic')
    }
    if (previous === undefined && this.#count >= this.#maxRecords) {
      this.purgeExpired()
      if (this.#count >= this.#maxRecords) return refuse(Status.E_INTERNAL_ERROR, 'registry is full')
    }
    if (previous === undefined) this.#count++
    else this.#disown(key, previous)
    if (ownerKey !== undefined) this.#owned.set(ownerKey, (this.#owned.get(ownerKey) ?? 0) + 1)
    const ttlMs = Number(ttlNs / 1_000_000n)
    records.set(id, {
      record: Uint8Array.from(record),
      expiresAt: this.#now() + ttlMs + NETWORK_DELAY_MS,
      owner,
    })
    this.#topics.set(key, records)
    return { status: Status.OK, message: '' }
  }

  /** Up to `min(limit, 10)` live records for `topic`, in random order. */
  discover(topic: Uint8Array, limit: number): Uint8Array[] {
    this.#purge(topic)
    const records = [...(this.#topics.get(binaryString(topic))?.values() ?? [])]
    const wanted = Math.max(0, Math.min(Math.floor(limit), MAX_DISCOVER_LIMIT, records.length))
    // A partial Fisher–Yates shuffle: the first `wanted` slots end up a uniform random sample.
    for (let index = 0; index < wanted; index++) {
      const pick = index + Math.floor(this.#random() * (records.length - index))
      const chosen = records[pick] as Registration
      records[pick] = records[index] as Registration
      records[index] = chosen
    }
    return records.slice(0, wanted).map((registration) => Uint8Array.from(registration.record))
  }

  /** Drops every expired registration; returns how many. */
  purgeExpired(): number {
    let dropped = 0
    for (const key of [...this.#topics.keys()]) dropped += this.#purgeKey(key)
    return dropped
  }

  /** Live and not yet purged registrations. */
  get size(): number {
    return this.#count
  }

  #purge(topic: Uint8Array): void {
    this.#purgeKey(binaryString(topic))
  }

  #purgeKey(key: string): number {
    const records = this.#topics.get(key)
    if (records === undefined) return 0
    const now = this.#now()
    let dropped = 0
    for (const [id, registration] of records) {
      if (registration.expiresAt <= now) {
        records.delete(id)
        this.#disown(key, registration)
        dropped++
      }
    }
    if (records.size === 0) this.#topics.delete(key)
    this.#count -= dropped
    return dropped
  }

  #disown(key: string, registration: Registration): void {
    if (registration.owner === undefined) return
    const ownerKey = `${key}\0${registration.owner}`
    const held = (this.#owned.get(ownerKey) ?? 0) - 1
    if (held > 0) this.#owned.set(ownerKey, held)
    else this.#owned.delete(ownerKey)
  }
}

/** 1..50 bytes and no 0xff, which separates topic from node id in the Go server's storage keys. */
export function isValidTopic(topic: Uint8Array): boolean {
  return topic.length >= 1 && topic.length <= MAX_TOPIC_BYTES && !topic.includes(0xff)
}

function refuse(status: number, message: string): RegisterResult {
  return { status, message }
}
