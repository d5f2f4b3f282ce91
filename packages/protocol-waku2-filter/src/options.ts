import { InvalidConfigError } from '@parley/interfaces'
import type { RateLimit } from '@parley/protocol-waku2'
import {
  FILTER_RATE_LIMIT,
  KEEP_ALIVE_MS,
  MAINTENANCE_INTERVAL_MS,
  MAX_CONTENT_TOPICS_PER_REQUEST,
  MAX_FILTER_CRITERIA_PER_PEER,
  MAX_FILTER_PEERS,
  MAX_FILTER_RPC_SIZE,
  MAX_QUEUED_PUSHES_PER_PEER,
  PUSH_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  SUBSCRIPTION_TIMEOUT_MS,
} from './constants.ts'

/** Service options; every default is nwaku's (see constants.ts) unless noted. */
export interface WakuFilterInit {
  /** Distinct subscribed peers. Default 100. */
  maxPeers?: number
  /** (pubsub topic, content topic) pairs per peer. Default 1000. */
  maxCriteriaPerPeer?: number
  /** Content topics per request. Default 100. */
  maxContentTopicsPerRequest?: number
  /** A subscription lapses this long after its last subscribe, ping or unsubscribe. Default 5 min. */
  subscriptionTimeoutMs?: number
  /** How often lapsed subscriptions are dropped. Default 1 min. */
  maintenanceIntervalMs?: number
  /** Requests per peer; `{ requests: 0 }` for none. Default 30 per minute. */
  rateLimit?: RateLimit
  /** Largest request read, bytes. Default 10 × 150 KiB + 64 KiB. */
  maxRequestSize?: number
  /** Reading a request and answering it. Default 10 s (ours; nwaku has none). */
  requestTimeoutMs?: number
  /** Writing one push. Default 20 s. */
  pushTimeoutMs?: number
  /** Pushes queued for one subscriber before further ones are dropped. Default 32 (ours). */
  maxQueuedPushesPerPeer?: number
}

export type FilterServerSettings = Required<WakuFilterInit>

export interface WakuFilterClientInit {
  /** Ping each service peer this often while subscribed; 0 disables. Default 60 s. */
  keepAliveMs?: number
  /** Largest push read, bytes. Default 10 × 150 KiB + 64 KiB. */
  maxPushSize?: number
  /** Timeout of one request when the caller passes no signal. Default 10 s. */
  requestTimeoutMs?: number
}

export type FilterClientSettings = Required<WakuFilterClientInit>

export function filterServerSettings(init: WakuFilterInit): FilterServerSettings {
  const settings: FilterServerSettings = {
    maxPeers: init.maxPeers ?? MAX_FILTER_PEERS,
    maxCriteriaPerPeer: init.maxCriteriaPerPeer ?? MAX_FILTER_CRITERIA_PER_PEER,
    maxContentTopicsPerRequest: init.maxContentTopicsPerRequest ?? MAX_CONTENT_TOPICS_PER_REQUEST,
    subscriptionTimeoutMs: init.subscriptionTimeoutMs ?? SUBSCRIPTION_TIMEOUT_MS,
    maintenanceIntervalMs: init.maintenanceIntervalMs ?? MAINTENANCE_INTERVAL_MS,
    rateLimit: { ...(init.rateLimit ?? FILTER_RATE_LIMIT) },
    maxRequestSize: init.maxRequestSize ?? MAX_FILTER_RPC_SIZE,
    requestTimeoutMs: init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    pushTimeoutMs: init.pushTimeoutMs ?? PUSH_TIMEOUT_MS,
    maxQueuedPushesPerPeer: init.maxQueuedPushesPerPeer ?? MAX_QUEUED_PUSHES_PER_PEER,
  }
  for (const [name, value] of Object.entries(settings)) {
    if (name === 'rateLimit') continue
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new InvalidConfigError(`waku2 filter ${name} must be a positive integer`)
  }
  const { requests, periodMs } = settings.rateLimit
  if (!Number.isInteger(requests) || requests < 0 || !Number.isFinite(periodMs) || periodMs <= 0)
    throw new InvalidConfigError('waku2 filter rateLimit needs requests ≥ 0 and periodMs > 0')
  return settings
}

export function filterClientSettings(init: WakuFilterClientInit): FilterClientSettings {
  const settings: FilterClientSettings = {
    keepAliveMs: init.keepAliveMs ?? KEEP_ALIVE_MS,
    maxPushSize: init.maxPushSize ?? MAX_FILTER_RPC_SIZE,
    requestTimeoutMs: init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
  }
  if (!Number.isInteger(settings.keepAliveMs) || settings.keepAliveMs < 0)
    throw new InvalidConfigError('waku2 filter client keepAliveMs must be an integer ≥ 0')
  for (const name of ['maxPushSize', 'requestTimeoutMs'] as const)
    if (!Number.isInteger(settings[name]) || settings[name] < 1)
      throw new InvalidConfigError(`waku2 filter client ${name} must be a positive integer`)
  return settings
}
