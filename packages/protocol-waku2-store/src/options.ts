import { InvalidConfigError } from '@parley/interfaces'
import type { RateLimit } from '@parley/protocol-waku2'
import type { RetentionPolicy } from './retention.ts'

export interface WakuStoreInit {
  /**
   * Answer store queries from the node's `messageArchive` (default true; needs a store plugin such
   * as `memoryStore()`). With false the plugin is a client only.
   */
  serve?: boolean
  /** Also answer the legacy `/vac/waku/store/2.0.0-beta4` (default true; go-waku and status-go use it). */
  legacy?: boolean
  /** Archive what the `waku2Relay` accepts (default true when the node has a relay and serves). */
  archiveRelay?: boolean
  /**
   * Relayed messages whose timestamp is further than this from the local clock, ms, are not archived
   * (nwaku's archive validator, `MaxMessageTimestampVariance`); nor are those without a timestamp,
   * which nwaku's current archive also refuses. Default 20 000.
   */
  maxTimestampDrift?: number
  /** Delete by age and/or count; none by default (nwaku's default is `time:172800`, two days). */
  retention?: RetentionPolicy
  /** How often the cleaner applies `retention`, ms. Default 30 min (nwaku). */
  retentionIntervalMs?: number
  /** Requests per period answered, beyond which peers get 429; unlimited by default. */
  rateLimit?: RateLimit
  /** Longest a peer may take to send its request and read the answer, ms. Default 10 s. */
  requestTimeoutMs?: number
}

export interface StoreSettings {
  readonly serve: boolean
  readonly legacy: boolean
  readonly archiveRelay: boolean
  readonly maxTimestampDrift: number
  readonly retention: RetentionPolicy
  readonly retentionIntervalMs: number
  readonly rateLimit: RateLimit | undefined
  readonly requestTimeoutMs: number
}

const positive = (value: number | undefined): boolean =>
  value === undefined || (Number.isFinite(value) && value > 0)

/** Checks `init` and fills in defaults; throws `InvalidConfigError`. */
export function storeSettings(init: WakuStoreInit): StoreSettings {
  const { retention = {}, rateLimit } = init
  if (!positive(retention.maxAgeSeconds))
    throw new InvalidConfigError('waku2 store retention.maxAgeSeconds must be a positive number')
  if (
    retention.maxMessages !== undefined &&
    !(Number.isInteger(retention.maxMessages) && retention.maxMessages >= 0)
  )
    throw new InvalidConfigError('waku2 store retention.maxMessages must be a non-negative integer')
  if (
    !positive(init.retentionIntervalMs) ||
    !positive(init.requestTimeoutMs) ||
    !positive(init.maxTimestampDrift)
  )
    throw new InvalidConfigError('waku2 store intervals and timeouts must be positive numbers of ms')
  if (
    rateLimit !== undefined &&
    !(Number.isInteger(rateLimit.requests) && rateLimit.requests >= 0 && positive(rateLimit.periodMs))
  )
    throw new InvalidConfigError('waku2 store rateLimit needs integer requests >= 0 and a positive periodMs')
  return {
    serve: init.serve ?? true,
    legacy: init.legacy ?? true,
    archiveRelay: init.archiveRelay ?? true,
    maxTimestampDrift: init.maxTimestampDrift ?? 20_000,
    retention: { ...retention },
    retentionIntervalMs: init.retentionIntervalMs ?? 30 * 60_000,
    rateLimit: rateLimit === undefined ? undefined : { ...rateLimit },
    requestTimeoutMs: init.requestTimeoutMs ?? 10_000,
  }
}
