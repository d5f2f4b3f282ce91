import { InvalidConfigError } from '@parley/interfaces'
import type { RateLimit } from '@parley/protocol-waku2'
import { type AutoshardingConfig, MAX_WAKU_MESSAGE_SIZE } from '@parley/protocol-waku2'
import {
  MAX_CONCURRENT_REQUESTS,
  MAX_LIGHTPUSH_RPC_SIZE,
  MAX_TIMESTAMP_DRIFT_MS,
  REQUEST_TIMEOUT_MS,
} from './constants.ts'

export interface WakuLightpushInit {
  /** Requests per peer; default none, as nwaku (`{ requests: 30, periodMs: 60_000 }`, say). */
  rateLimit?: RateLimit
  /** Requests served at once before further ones are answered 429. Default 64. */
  maxConcurrentRequests?: number
  /** Largest request read, bytes. Default 150 KiB + 64 KiB. */
  maxRequestSize?: number
  /** Largest serialized WakuMessage relayed (413 above). Default 150 KiB, the relay's. */
  maxMessageSize?: number
  /** Largest timestamp distance from the local clock, ms (420 beyond). Default 20 000, the relay's. */
  maxTimestampDrift?: number
  /** Pubsub topic of a v3 request that names none; default the relay's first topic. */
  autosharding?: AutoshardingConfig
  /** Reading, publishing and answering one request. Default 10 s. */
  requestTimeoutMs?: number
  /** Serve 2.0.0-beta1 (go-waku, status-go, js-waku ≤ 0.0.27) as well as 3.0.0. Default true. */
  legacy?: boolean
}

export interface LightpushServerSettings {
  rateLimit: RateLimit | undefined
  maxConcurrentRequests: number
  maxRequestSize: number
  maxMessageSize: number
  maxTimestampDrift: number
  autosharding: AutoshardingConfig | undefined
  requestTimeoutMs: number
  legacy: boolean
}

export function lightpushServerSettings(init: WakuLightpushInit): LightpushServerSettings {
  const settings: LightpushServerSettings = {
    rateLimit: init.rateLimit,
    maxConcurrentRequests: init.maxConcurrentRequests ?? MAX_CONCURRENT_REQUESTS,
    maxRequestSize: init.maxRequestSize ?? MAX_LIGHTPUSH_RPC_SIZE,
    maxMessageSize: init.maxMessageSize ?? MAX_WAKU_MESSAGE_SIZE,
    maxTimestampDrift: init.maxTimestampDrift ?? MAX_TIMESTAMP_DRIFT_MS,
    autosharding: init.autosharding,
    requestTimeoutMs: init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    legacy: init.legacy ?? true,
  }
  for (const name of [
    'maxConcurrentRequests',
    'maxRequestSize',
    'maxMessageSize',
    'requestTimeoutMs',
  ] as const)
    if (!Number.isInteger(settings[name]) || settings[name] < 1)
      throw new InvalidConfigError(`waku2 lightpush ${name} must be a positive integer`)
  if (!Number.isFinite(settings.maxTimestampDrift) || settings.maxTimestampDrift < 0)
    throw new InvalidConfigError('waku2 lightpush maxTimestampDrift must be a non-negative number of ms')
  const limit = settings.rateLimit
  if (limit !== undefined && !(Number.isInteger(limit.requests) && limit.requests >= 0 && limit.periodMs > 0))
    throw new InvalidConfigError('waku2 lightpush rateLimit needs requests ≥ 0 and periodMs > 0')
  const sharding = settings.autosharding
  if (sharding !== undefined && !(Number.isInteger(sharding.shardCount) && sharding.shardCount >= 1))
    throw new InvalidConfigError('waku2 lightpush autosharding.shardCount must be a positive integer')
  return settings
}
