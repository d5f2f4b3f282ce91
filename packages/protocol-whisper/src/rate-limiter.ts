/**
 * status-go's `PeerRateLimiter`, on its own: token buckets of packets and of bytes per second, keyed
 * by IP and by peer id. A bucket holds one second's worth and refills continuously; a packet that
 * finds too few tokens is over the limit (and takes none). A limit of 0 is no limit.
 */

export interface RateLimits {
  /** packets per second from one IP */
  ipPackets: number
  /** packets per second from one peer */
  peerPackets: number
  /** bytes per second from one IP */
  ipBytes: number
  /** bytes per second from one peer */
  peerBytes: number
}

/** status-go's `defaultPeerRateLimiterConfig` (waku/common/rate_limiter.go). */
export const STATUS_GO_RATE_LIMITS: Readonly<RateLimits> = {
  ipPackets: 10,
  peerPackets: 5,
  ipBytes: 1024 * 1024,
  peerBytes: 1024 * 1024,
}

export const NO_RATE_LIMITS: Readonly<RateLimits> = { ipPackets: 0, peerPackets: 0, ipBytes: 0, peerBytes: 0 }

export type RateLimitVerdict = { ok: true } | { ok: false; limit: 'ip' | 'peer' }

interface Bucket {
  tokens: number
  /** ms of the last refill */
  at: number
}

export class RateLimiter {
  readonly #limits: RateLimits
  readonly #clock: () => number
  readonly #packets = new Map<string, Bucket>()
  readonly #bytes = new Map<string, Bucket>()

  /** `clock` gives milliseconds (default `Date.now`); tests pass their own. */
  constructor(limits: RateLimits, clock: () => number = Date.now) {
    this.#limits = { ...limits }
    this.#clock = clock
  }

  get limits(): RateLimits {
    return { ...this.#limits }
  }

  /** Whether every limit is 0. */
  get disabled(): boolean {
    return Object.values(this.#limits).every((limit) => limit === 0)
  }

  /** Counts one packet of `bytes` from this peer and IP; IP limits are checked first, as status-go does. */
  check(peerId: string, ip: string, bytes: number): RateLimitVerdict {
    const now = this.#clock()
    const ipHalted = this.#halt(`ip:${ip}`, bytes, this.#limits.ipPackets, this.#limits.ipBytes, now)
    const peerHalted = this.#halt(
      `peer:${peerId}`,
      bytes,
      this.#limits.peerPackets,
      this.#limits.peerBytes,
      now,
    )
    if (ipHalted) return { ok: false, limit: 'ip' }
    if (peerHalted) return { ok: false, limit: 'peer' }
    return { ok: true }
  }

  /** Drops buckets that are full again (their sender went quiet), so that the maps do not grow forever. */
  sweep(): void {
    const now = this.#clock()
    for (const [buckets, limit] of [
      [this.#packets, (key: string) => this.#rate(key, 'packets')],
      [this.#bytes, (key: string) => this.#rate(key, 'bytes')],
    ] as const) {
      for (const [key, bucket] of buckets)
        if (refill(bucket, limit(key), now) >= limit(key)) buckets.delete(key)
    }
  }

  /** How many keys hold a bucket (for tests and leak checks). */
  get size(): number {
    return this.#packets.size + this.#bytes.size
  }

  #halt(key: string, bytes: number, packetRate: number, byteRate: number, now: number): boolean {
    const packetsHalted =
      packetRate > 0 && !take(this.#bucket(this.#packets, key, packetRate, now), 1, packetRate, now)
    const bytesHalted =
      byteRate > 0 && !take(this.#bucket(this.#bytes, key, byteRate, now), bytes, byteRate, now)
    return packetsHalted || bytesHalted
  }

  #bucket(buckets: Map<string, Bucket>, key: string, rate: number, now: number): Bucket {
    let bucket = buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: rate, at: now }
      buckets.set(key, bucket)
    }
    return bucket
  }

  #rate(key: string, kind: 'packets' | 'bytes'): number {
    const ip = key.startsWith('ip:')
    if (kind === 'packets') return ip ? this.#limits.ipPackets : this.#limits.peerPackets
    return ip ? this.#limits.ipBytes : this.#limits.peerBytes
  }
}

/** Refills for the time since the last refill (one second's worth at most) and returns the tokens. */
function refill(bucket: Bucket, rate: number, now: number): number {
  const elapsed = Math.max(0, now - bucket.at)
  bucket.tokens = Math.min(rate, bucket.tokens + (elapsed * rate) / 1000)
  bucket.at = now
  return bucket.tokens
}

/**
 * Takes `count` tokens if there are enough. A packet bigger than a whole second's worth passes only
 * when the bucket is full, and empties it: otherwise it could never pass at all.
 */
function take(bucket: Bucket, count: number, rate: number, now: number): boolean {
  const tokens = refill(bucket, rate, now)
  const needed = Math.min(count, rate)
  if (tokens < needed) return false
  bucket.tokens = tokens - needed
  return true
}

/** The IP of a `host:port` or `[v6]:port` address. */
export function ipOf(address: string): string {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(address)
  if (bracketed?.[1] !== undefined) return bracketed[1]
  const colon = address.lastIndexOf(':')
  return colon > 0 && !address.slice(0, colon).includes(':') ? address.slice(0, colon) : address
}
