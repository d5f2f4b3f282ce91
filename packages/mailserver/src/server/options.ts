/** `mailserver(init)` options, their defaults and their checks. */
import { InvalidConfigError } from '@parley/interfaces'
import { DEFAULT_MAILSERVER_PASSWORD } from '../request-envelope.ts'
import type { RateLimit } from './rate-limiter.ts'

export interface RetentionPolicy {
  /** delete envelopes sent longer ago than this, seconds (status-go: `MailServerDataRetention` days) */
  maxAgeSeconds?: number
  /** keep at most this many envelopes, dropping the oldest */
  maxCount?: number
  /** keep at most about this many bytes of envelope data, dropping the oldest */
  maxBytes?: number
  /** how often the cleaner runs, ms; default 60 000 */
  intervalMs?: number
}

export interface MailserverInit {
  /** requests sealed with PBKDF2(password) are accepted; default `status-offline-inbox` unless `privateKey` is set */
  password?: string
  /** requests encrypted to this key's public key are accepted (status-go `MailServerAsymKey`) */
  privateKey?: Uint8Array
  /** requests with less proof of work are refused; default 0 (no check), as status-go */
  minRequestPow?: number
  /** longest range one request may span, seconds; default 24 h; 0 for no limit */
  maxRangeSeconds?: number
  /** per-peer request limit; default 20 requests per 10 s; `false` for none */
  rateLimit?: RateLimit | false
  retention?: RetentionPolicy
  /** also serve the non-envelope MessagesRequest on 126 (status-go serves it without a key); default true */
  acceptMessagesRequest?: boolean
  /** unix seconds; default the clock */
  now?: () => number
}

export interface MailserverSettings {
  password: string | undefined
  privateKey: Uint8Array | undefined
  minRequestPow: number
  maxRangeSeconds: number
  rateLimit: RateLimit | undefined
  retention: Required<Pick<RetentionPolicy, 'intervalMs'>> & Omit<RetentionPolicy, 'intervalMs'>
  acceptMessagesRequest: boolean
  now: () => number
}

const DAY = 24 * 60 * 60

export function mailserverSettings(init: MailserverInit = {}): MailserverSettings {
  const password = init.password ?? (init.privateKey === undefined ? DEFAULT_MAILSERVER_PASSWORD : undefined)
  const settings: MailserverSettings = {
    password,
    privateKey: init.privateKey?.slice(),
    minRequestPow: init.minRequestPow ?? 0,
    maxRangeSeconds: init.maxRangeSeconds ?? DAY,
    rateLimit: init.rateLimit === false ? undefined : (init.rateLimit ?? { requests: 20, windowMs: 10_000 }),
    retention: { ...init.retention, intervalMs: init.retention?.intervalMs ?? 60_000 },
    acceptMessagesRequest: init.acceptMessagesRequest ?? true,
    now: init.now ?? (() => Math.floor(Date.now() / 1000)),
  }
  if (password === '') invalid('password', 'a non-empty string')
  if (settings.privateKey !== undefined && settings.privateKey.length !== 32)
    invalid('privateKey', '32 bytes')
  if (!Number.isFinite(settings.minRequestPow) || settings.minRequestPow < 0) {
    invalid('minRequestPow', 'a finite number ≥ 0')
  }
  nonNegativeInteger('maxRangeSeconds', settings.maxRangeSeconds)
  if (settings.rateLimit !== undefined) {
    positiveInteger('rateLimit.requests', settings.rateLimit.requests)
    positiveInteger('rateLimit.windowMs', settings.rateLimit.windowMs)
  }
  const { maxAgeSeconds, maxCount, maxBytes, intervalMs } = settings.retention
  for (const [name, value] of [
    ['retention.maxAgeSeconds', maxAgeSeconds],
    ['retention.maxCount', maxCount],
    ['retention.maxBytes', maxBytes],
  ] as const) {
    if (value !== undefined) positiveInteger(name, value)
  }
  positiveInteger('retention.intervalMs', intervalMs)
  if (typeof settings.now !== 'function') invalid('now', 'a function')
  return settings
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) invalid(name, 'a positive integer')
}

function nonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) invalid(name, 'an integer ≥ 0')
}

function invalid(name: string, what: string): never {
  throw new InvalidConfigError(`mailserver: ${name} must be ${what}`)
}
