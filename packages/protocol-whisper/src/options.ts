/** `whisper(init)` options, their defaults (go-ethereum's unless said) and their checks. */
import { BLOOM_SIZE, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_SYNC_ALLOWANCE, fullBloom } from '@parley/envelope'
import { InvalidConfigError } from '@parley/interfaces'
import { NO_RATE_LIMITS, type RateLimits, STATUS_GO_RATE_LIMITS } from './rate-limiter.ts'

/** go-ethereum's `MaxMessageSize` (10 MiB): the largest max message size a node may set. */
export const MAX_MESSAGE_SIZE_LIMIT = 10 * 1024 * 1024

export interface WhisperInit {
  /**
   * Minimum proof of work we accept and advertise, and the default target of `post`. go-ethereum's
   * default is 0.2; Status nodes use 0.002 (3/WHISPER-USAGE requires a requirement ≤ 0.002), so pass
   * `minPow: 0.002` to talk to them.
   */
  minPow?: number
  /**
   * Largest envelope (20 + len(Data)) accepted, and largest packet: a peer sending a bigger packet is
   * disconnected, as go-ethereum does. Bytes, at most 10 MiB. Default 1 MiB.
   */
  maxMessageSize?: number
  /** A light node tells peers so in its Status and never relays other peers' envelopes. */
  lightNode?: boolean
  /** Our 64-byte bloom filter: the topics we want from peers. Default: all ones (everything). */
  bloom?: Uint8Array
  /** Default TTL of `post`, seconds. Default 50 (go-ethereum's `DefaultTTL`). */
  ttl?: number
  /** Clock skew tolerated, seconds. Default 10. */
  syncAllowance?: number
  /** Envelope hashes remembered to drop duplicates, and the pool's capacity. Default 10 000. */
  dedupCacheSize?: number
  /** The clock, unix seconds. Default `Math.floor(Date.now() / 1000)`. */
  now?: () => number
  /** A peer that sends no Status within this many ms is disconnected. Default 5000. */
  statusTimeoutMs?: number
  /** Protocol violations from one peer before we disconnect it. Default 10. */
  maxPeerViolations?: number
  /** Envelope hashes remembered per peer (sent to it or received from it). Default 10 000. */
  knownPerPeer?: number
  /**
   * Limits on what peers send us, per IP and per peer (status-go's `PeerRateLimiter`); trusted peers
   * are exempt. Off by default, as status-go ships (`EnableRateLimiter: false`); `{}` turns it on with
   * status-go's defaults (10 and 5 packets/s, 1 MiB/s each); a limit of 0 is no limit.
   */
  rateLimits?: Partial<RateLimits>
  /** Packets over a rate limit from one peer before we disconnect it (status-go's `RateLimitTolerance`). Default 5; 0: never. */
  rateLimitTolerance?: number
}

export interface WhisperSettings {
  minPow: number
  maxMessageSize: number
  lightNode: boolean
  bloom: Uint8Array
  ttl: number
  syncAllowance: number
  dedupCacheSize: number
  now: () => number
  statusTimeoutMs: number
  maxPeerViolations: number
  knownPerPeer: number
  /** all 0 when rate limiting is off */
  rateLimits: RateLimits
  rateLimitTolerance: number
}

const systemClock = (): number => Math.floor(Date.now() / 1000)

/** Fills the defaults; throws `InvalidConfigError` for values no node could run with. */
export function whisperSettings(init: WhisperInit = {}): WhisperSettings {
  const settings: WhisperSettings = {
    minPow: init.minPow ?? 0.2,
    maxMessageSize: init.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    lightNode: init.lightNode ?? false,
    bloom: (init.bloom ?? fullBloom()).slice(),
    ttl: init.ttl ?? 50,
    syncAllowance: init.syncAllowance ?? DEFAULT_SYNC_ALLOWANCE,
    dedupCacheSize: init.dedupCacheSize ?? 10_000,
    now: init.now ?? systemClock,
    statusTimeoutMs: init.statusTimeoutMs ?? 5000,
    maxPeerViolations: init.maxPeerViolations ?? 10,
    knownPerPeer: init.knownPerPeer ?? 10_000,
    rateLimits:
      init.rateLimits === undefined
        ? { ...NO_RATE_LIMITS }
        : { ...STATUS_GO_RATE_LIMITS, ...init.rateLimits },
    rateLimitTolerance: init.rateLimitTolerance ?? 5,
  }
  if (!Number.isFinite(settings.minPow) || settings.minPow < 0) invalid('minPow', 'a finite number ≥ 0')
  if (settings.bloom.length !== BLOOM_SIZE) invalid('bloom', `${BLOOM_SIZE} bytes`)
  for (const name of [
    'maxMessageSize',
    'ttl',
    'dedupCacheSize',
    'statusTimeoutMs',
    'maxPeerViolations',
    'knownPerPeer',
  ] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) invalid(name, 'a positive integer')
  }
  if (settings.maxMessageSize > MAX_MESSAGE_SIZE_LIMIT)
    invalid('maxMessageSize', `at most ${MAX_MESSAGE_SIZE_LIMIT}`)
  if (!Number.isSafeInteger(settings.syncAllowance) || settings.syncAllowance < 0) {
    invalid('syncAllowance', 'an integer ≥ 0')
  }
  for (const [name, limit] of Object.entries(settings.rateLimits)) {
    if (!Number.isSafeInteger(limit) || limit < 0) invalid(`rateLimits.${name}`, 'an integer ≥ 0')
  }
  if (!Number.isSafeInteger(settings.rateLimitTolerance) || settings.rateLimitTolerance < 0) {
    invalid('rateLimitTolerance', 'an integer ≥ 0')
  }
  if (typeof settings.now !== 'function') invalid('now', 'a function')
  return settings
}

function invalid(name: string, what: string): never {
  throw new InvalidConfigError(`whisper: ${name} must be ${what}`)
}
