/** `wakuPeerExchange(init)` options, defaults and checks. */
import { InvalidConfigError, type Secp256k1Provider } from '@parley/interfaces'
import type { RateLimit } from '@parley/protocol-waku2'
import { DEFAULT_NUM_PEERS, MAX_PEERS_CACHE_SIZE } from './constants.ts'

export interface WakuPeerExchangeInit {
  /** verifies the records services send (`(await loadCrypto()).secp256k1`) */
  secp: Secp256k1Provider
  /** serve the protocol from the cache; default true */
  serve?: boolean
  /** discovery sources whose records fill the cache; default `['discv5']`, as nwaku */
  sources?: readonly string[]
  /** records kept for serving; default 60 */
  cacheSize?: number
  /** the node's cluster: served and accepted records of another cluster are skipped */
  clusterId?: number
  /** per-peer request limit of the server; default unlimited */
  rateLimit?: RateLimit
  /** services to ask (multiaddrs ending in /p2p/<id>), before connected peers that speak the protocol */
  servicePeers?: readonly string[]
  /** records asked for per background request; default 5 */
  numPeers?: number
  /** time between background requests; 0 (default) asks only through findPeers/request */
  queryIntervalMs?: number
}

export interface PeerExchangeSettings {
  serve: boolean
  sources: readonly string[]
  cacheSize: number
  clusterId: number | undefined
  rateLimit: RateLimit | undefined
  servicePeers: readonly string[]
  numPeers: number
  queryIntervalMs: number
}

function checkInteger(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min || value > max))
    throw new InvalidConfigError(`peer exchange: ${name} must be an integer in ${min}..${max}, not ${value}`)
}

export function peerExchangeSettings(init: WakuPeerExchangeInit): PeerExchangeSettings {
  checkInteger('cacheSize', init.cacheSize, 1, 100_000)
  checkInteger('clusterId', init.clusterId, 0, 0xffff)
  checkInteger('numPeers', init.numPeers, 1, MAX_PEERS_CACHE_SIZE)
  checkInteger('queryIntervalMs', init.queryIntervalMs, 0, 2 ** 31 - 1)
  checkInteger('rateLimit.requests', init.rateLimit?.requests, 1, 1_000_000)
  checkInteger('rateLimit.periodMs', init.rateLimit?.periodMs, 1, 2 ** 31 - 1)
  for (const peer of init.servicePeers ?? [])
    if (!/^\/.*\/p2p\/[^/]+$/.test(peer))
      throw new InvalidConfigError(
        `peer exchange: service peer must be a multiaddr ending in /p2p/<id>: ${peer}`,
      )
  return {
    serve: init.serve ?? true,
    sources: init.sources ?? ['discv5'],
    cacheSize: init.cacheSize ?? MAX_PEERS_CACHE_SIZE,
    clusterId: init.clusterId,
    rateLimit: init.rateLimit,
    servicePeers: init.servicePeers ?? [],
    numPeers: init.numPeers ?? DEFAULT_NUM_PEERS,
    queryIntervalMs: init.queryIntervalMs ?? 0,
  }
}
