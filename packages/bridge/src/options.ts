/** The bridge's options, their defaults and checks. */
import { hexToTopic, topicToHex } from '@parley/envelope'
import { InvalidConfigError } from '@parley/interfaces'

/**
 * The networks a bridge joins: Whisper v6 and Waku v1 on devp2p, the Waku v2 relay on libp2p, and
 * `murmur`: Whisper's libp2p clients (`whisperOverLibp2pServer`).
 */
export type BridgeSide = 'whisper' | 'waku1' | 'waku2' | 'murmur'
export const BRIDGE_SIDES: readonly BridgeSide[] = ['whisper', 'waku1', 'waku2', 'murmur']

export interface BridgeRateLimit {
  /** messages per second one direction may carry, on average */
  messagesPerSecond: number
  /** how many may go at once after a quiet spell; default `messagesPerSecond` */
  burst?: number
}

export interface BridgeInit {
  /** which of the node's protocols to join; default every one the node runs (at least two) */
  sides?: readonly BridgeSide[]
  /** 4-byte topics (`0x` + 8 hex digits) to bridge; default every topic */
  topics?: readonly string[]
  /** the PoW a v1 envelope must carry to cross, above what its own protocol asks; default 0.002 (Status) */
  minPow?: number
  /** largest payload (envelope data, WakuMessage payload) that crosses, bytes; default 128 KiB */
  maxPayloadSize?: number
  /** TTL, seconds, of the envelopes sealed for v2 messages; default 10 */
  v1Ttl?: number
  /** a v1 envelope with less life left than this (seconds) is expired for the bridge; default 2 */
  minRemainingTtl?: number
  /** a v2 message timestamped further than this (ms) from our clock is stale; default 20 000 (the v2 relay's window) */
  maxTimestampDrift?: number
  /** per direction; `false`: none. Default 100 messages/s, burst 200 */
  rateLimit?: BridgeRateLimit | false
  /** messages remembered (by topic and payload) so none crosses twice or comes back; default 10 000 */
  seenCacheSize?: number
  /** how long one is remembered, ms; default 10 minutes (longer than any bridged TTL) */
  seenTtlMs?: number
  /** posts in flight per direction (v1 posts seal PoW first); beyond it new messages are dropped; default 256 */
  maxPending?: number
  /** the clock, unix ms */
  now?: () => number
}

export interface BridgeSettings {
  sides: readonly BridgeSide[] | undefined
  topics: ReadonlySet<string> | undefined
  minPow: number
  maxPayloadSize: number
  v1Ttl: number
  minRemainingTtl: number
  maxTimestampDrift: number
  rateLimit: Required<BridgeRateLimit> | undefined
  seenCacheSize: number
  seenTtlMs: number
  maxPending: number
  now: () => number
}

export const DEFAULT_MAX_PAYLOAD_SIZE = 128 * 1024

export function bridgeSettings(init: BridgeInit = {}): BridgeSettings {
  const settings: BridgeSettings = {
    sides: init.sides === undefined ? undefined : [...new Set(init.sides)],
    topics: init.topics === undefined ? undefined : new Set(init.topics.map(normalTopic)),
    minPow: init.minPow ?? 0.002,
    maxPayloadSize: init.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD_SIZE,
    v1Ttl: init.v1Ttl ?? 10,
    minRemainingTtl: init.minRemainingTtl ?? 2,
    maxTimestampDrift: init.maxTimestampDrift ?? 20_000,
    rateLimit: rateLimitOf(init.rateLimit),
    seenCacheSize: init.seenCacheSize ?? 10_000,
    seenTtlMs: init.seenTtlMs ?? 10 * 60_000,
    maxPending: init.maxPending ?? 256,
    now: init.now ?? Date.now,
  }
  for (const side of settings.sides ?? [])
    if (!BRIDGE_SIDES.includes(side)) throw new InvalidConfigError(`bridge: unknown side ${side}`)
  if (settings.sides !== undefined && settings.sides.length < 2)
    throw new InvalidConfigError('bridge: sides needs at least two protocols')
  if (!Number.isFinite(settings.minPow) || settings.minPow < 0)
    throw new InvalidConfigError(`bridge: minPow must be ≥ 0, got ${settings.minPow}`)
  positiveInteger('maxPayloadSize', settings.maxPayloadSize)
  positiveInteger('v1Ttl', settings.v1Ttl)
  positiveInteger('minRemainingTtl', settings.minRemainingTtl)
  positiveInteger('maxTimestampDrift', settings.maxTimestampDrift)
  positiveInteger('seenCacheSize', settings.seenCacheSize)
  positiveInteger('seenTtlMs', settings.seenTtlMs)
  positiveInteger('maxPending', settings.maxPending)
  return settings
}

function rateLimitOf(limit: BridgeRateLimit | false | undefined): Required<BridgeRateLimit> | undefined {
  if (limit === false) return undefined
  const { messagesPerSecond, burst } = limit ?? { messagesPerSecond: 100, burst: 200 }
  if (!Number.isFinite(messagesPerSecond) || messagesPerSecond <= 0)
    throw new InvalidConfigError(`bridge: rateLimit.messagesPerSecond must be > 0, got ${messagesPerSecond}`)
  const settled = burst ?? messagesPerSecond
  if (!Number.isFinite(settled) || settled < 1)
    throw new InvalidConfigError(`bridge: rateLimit.burst must be ≥ 1, got ${settled}`)
  return { messagesPerSecond, burst: settled }
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new InvalidConfigError(`bridge: ${name} must be a positive integer, got ${value}`)
}

function normalTopic(topic: string): string {
  try {
    return topicToHex(hexToTopic(topic))
  } catch (error) {
    throw new InvalidConfigError(`bridge: bad topic ${topic}`, { cause: error })
  }
}
