/** `mailserverClient(init)` options, their defaults and their checks. */
import { InvalidConfigError } from '@parley/interfaces'
import type { RequestLayout } from '../request.ts'
import { DEFAULT_MAILSERVER_PASSWORD } from '../request-envelope.ts'
import { parseEnode } from './enode.ts'
import { type Ping, tcpPing } from './ping.ts'

export interface MailserverClientInit {
  /** enode URLs of the mailservers to use; at least one */
  mailservers: string[]
  /** `waku` (waku/1) or `shh` (shh/6); default: Waku v1 when the node has it, else Whisper */
  protocol?: 'waku' | 'shh'
  /** the mailservers' password; default `status-offline-inbox` */
  password?: string
  /** encrypt requests to the mailserver's node key instead of a password */
  encryptToNodeKey?: boolean
  /** key that signs requests; default the node identity's, else a fresh one */
  signingKey?: Uint8Array
  /** proof of work of each request; default the protocol's minimum */
  requestPow?: number
  /** payload layout; default `'2020'` (status-go since 2020) */
  layout?: RequestLayout
  /** envelopes per page, at most 1000; default 1000 */
  pageLimit?: number
  /** per page, ms; default 30 000 */
  requestTimeoutMs?: number
  /** consecutive failures before switching mailserver; default 2 */
  maxFailures?: number
  /** first grey-listing, ms, doubled each time; default 30 000, at most `maxBackoffMs` (default 300 000) */
  backoffMs?: number
  maxBackoffMs?: number
  /** RTT probe; default a TCP connect */
  ping?: Ping
  /** default 2000 ms */
  pingTimeoutMs?: number
  /** envelope hashes remembered for dedup; default 100 000 */
  seenCapacity?: number
  /** unix seconds; default the clock */
  now?: () => number
  /** [0, 1), for the random pick among the fastest; default Math.random */
  random?: () => number
}

export type MailserverClientSettings = Required<
  Omit<MailserverClientInit, 'protocol' | 'signingKey' | 'requestPow'>
> &
  Pick<MailserverClientInit, 'protocol' | 'signingKey' | 'requestPow'>

export function mailserverClientSettings(init: MailserverClientInit): MailserverClientSettings {
  if (!Array.isArray(init?.mailservers) || init.mailservers.length === 0) {
    throw new InvalidConfigError('mailserver client: mailservers must list at least one enode')
  }
  init.mailservers.forEach(parseEnode)
  const settings: MailserverClientSettings = {
    mailservers: [...init.mailservers],
    protocol: init.protocol,
    password: init.password ?? DEFAULT_MAILSERVER_PASSWORD,
    encryptToNodeKey: init.encryptToNodeKey ?? false,
    signingKey: init.signingKey?.slice(),
    requestPow: init.requestPow,
    layout: init.layout ?? '2020',
    pageLimit: init.pageLimit ?? 1000,
    requestTimeoutMs: init.requestTimeoutMs ?? 30_000,
    maxFailures: init.maxFailures ?? 2,
    backoffMs: init.backoffMs ?? 30_000,
    maxBackoffMs: init.maxBackoffMs ?? 300_000,
    ping: init.ping ?? tcpPing,
    pingTimeoutMs: init.pingTimeoutMs ?? 2000,
    seenCapacity: init.seenCapacity ?? 100_000,
    now: init.now ?? (() => Math.floor(Date.now() / 1000)),
    random: init.random ?? Math.random,
  }
  if (settings.protocol !== undefined && settings.protocol !== 'waku' && settings.protocol !== 'shh') {
    invalid('protocol', "'waku' or 'shh'")
  }
  if (settings.password === '') invalid('password', 'a non-empty string')
  if (settings.signingKey !== undefined && settings.signingKey.length !== 32)
    invalid('signingKey', '32 bytes')
  if (settings.requestPow !== undefined && !(settings.requestPow >= 0)) invalid('requestPow', 'a number ≥ 0')
  if (!Number.isSafeInteger(settings.pageLimit) || settings.pageLimit < 1 || settings.pageLimit > 1000) {
    invalid('pageLimit', 'an integer in 1..1000')
  }
  for (const name of [
    'requestTimeoutMs',
    'maxFailures',
    'backoffMs',
    'maxBackoffMs',
    'pingTimeoutMs',
    'seenCapacity',
  ] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) invalid(name, 'a positive integer')
  }
  return settings
}

function invalid(name: string, what: string): never {
  throw new InvalidConfigError(`mailserver client: ${name} must be ${what}`)
}
