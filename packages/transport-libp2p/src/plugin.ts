/** The `libp2p(init)` plugin factory: provides `libp2pHost`, uses `nodeIdentity` when present. */
import {
  type Components,
  InvalidConfigError,
  libp2pHost,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
} from '@parley/interfaces'
import { Libp2pHostService } from './host.ts'
import { hostMetrics } from './metrics.ts'
import type { Libp2pMuxer } from './node.ts'
import {
  checkSecureWebSocket,
  configMultiaddr,
  isSecureWebSocket,
  type SecureWebSocketInit,
} from './websocket.ts'

export interface Libp2pInit {
  /**
   * 32-byte secp256k1 key, the same one devp2p uses: one key per node. Default: the `nodeIdentity`
   * capability's key, else one generated at first start (kept across restarts of this service).
   */
  privateKey?: Uint8Array
  /**
   * Listen multiaddrs. Default nwaku's: TCP 60000 and WebSocket 8000 on every interface, the latter
   * `/wss` when `secureWebSocket` is set (nwaku's `--websocket-secure-support`). `/wss` (or `/tls/ws`)
   * listen addresses need `secureWebSocket`.
   */
  listen?: readonly string[]
  /** Open connections, inbound and outbound together. Default 150, nwaku's `--max-connections`. */
  maxConnections?: number
  /** Stream muxers in preference order. Default `['yamux', 'mplex']`: nwaku offers both. */
  muxers?: readonly Libp2pMuxer[]
  /** TLS certificate and key for `/wss` listeners (nwaku's `--websocket-secure-cert-path`, `-key-path`). */
  secureWebSocket?: SecureWebSocketInit
  /** PEM certificates to trust for `wss` dials besides Node's roots (a self-signed peer, a private CA). */
  webSocketTrustedCertificates?: readonly string[]
  /** ms between keep-alive pings of outbound peers. Default 120 000, nwaku's 2 minutes; 0 turns it off. */
  keepAliveInterval?: number
  /** Consecutive failed keep-alive pings after which a peer is hung up. Default 3. */
  keepAliveMaxFailures?: number
  /** Multiaddrs ending in `/p2p/<id>` kept connected (nwaku's `--staticnode`), redialled with back-off. */
  staticPeers?: readonly string[]
  /** ms before redialling a static peer; doubles per failed dial up to `staticPeerMaxRedialDelay`. Default 1 000. */
  staticPeerRedialDelay?: number
  /** Cap of the static-peer back-off, ms. Default 60 000. */
  staticPeerMaxRedialDelay?: number
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new InvalidConfigError(`libp2p ${name} must be an integer ≥ 0`)
  return value
}

export const DEFAULT_LISTEN: readonly string[] = ['/ip4/0.0.0.0/tcp/60000', '/ip4/0.0.0.0/tcp/8000/ws']
export const DEFAULT_SECURE_LISTEN: readonly string[] = [
  '/ip4/0.0.0.0/tcp/60000',
  '/ip4/0.0.0.0/tcp/8000/wss',
]
/** nwaku's `--max-connections` default (waku/factory/external_config.nim; 50 before 2024). */
export const DEFAULT_MAX_CONNECTIONS = 150
/** nwaku's keep-alive period (`startKeepalive`, 2 minutes). */
export const DEFAULT_KEEP_ALIVE_INTERVAL = 120_000
export const DEFAULT_KEEP_ALIVE_MAX_FAILURES = 3

/** The libp2p host plugin: `createNode({ plugins: [libp2p({ listen: ['/ip4/0.0.0.0/tcp/60000'] })] })`. */
export function libp2p(init: Libp2pInit = {}): Plugin<Libp2pHostService> {
  if (init.privateKey !== undefined && init.privateKey.length !== 32)
    throw new InvalidConfigError('libp2p privateKey must be 32 bytes')
  const maxConnections = init.maxConnections ?? DEFAULT_MAX_CONNECTIONS
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new InvalidConfigError('libp2p maxConnections must be an integer ≥ 1')
  const secure = init.secureWebSocket
  if (secure !== undefined) checkSecureWebSocket(secure)
  const listen = [...(init.listen ?? (secure === undefined ? DEFAULT_LISTEN : DEFAULT_SECURE_LISTEN))]
  for (const address of listen) {
    configMultiaddr(address, 'listen address')
    if (secure === undefined && isSecureWebSocket(address))
      throw new InvalidConfigError(
        `libp2p listen address ${address} needs secureWebSocket (certificate and key)`,
      )
  }
  const trusted = [...(init.webSocketTrustedCertificates ?? [])]
  if (trusted.some((pem) => !pem.includes('-----BEGIN CERTIFICATE-----')))
    throw new InvalidConfigError('libp2p webSocketTrustedCertificates must be PEM certificates')
  const keepAlive = {
    interval: nonNegativeInteger(init.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_INTERVAL, 'keepAliveInterval'),
    maxFailures: nonNegativeInteger(
      init.keepAliveMaxFailures ?? DEFAULT_KEEP_ALIVE_MAX_FAILURES,
      'keepAliveMaxFailures',
    ),
  }
  if (keepAlive.maxFailures < 1) throw new InvalidConfigError('libp2p keepAliveMaxFailures must be ≥ 1')
  const staticPeers = {
    peers: (init.staticPeers ?? []).map((address) => {
      const parsed = configMultiaddr(address, 'static peer')
      if (parsed.getPeerId() === null)
        throw new InvalidConfigError(`libp2p static peer lacks /p2p/<id>: ${address}`)
      return parsed
    }),
    initialDelay: nonNegativeInteger(init.staticPeerRedialDelay ?? 1_000, 'staticPeerRedialDelay'),
    maxDelay: nonNegativeInteger(init.staticPeerMaxRedialDelay ?? 60_000, 'staticPeerMaxRedialDelay'),
  }
  const muxers = [...new Set<Libp2pMuxer>(init.muxers ?? ['yamux', 'mplex'])]
  if (muxers.length === 0 || muxers.some((name) => name !== 'yamux' && name !== 'mplex'))
    throw new InvalidConfigError("libp2p muxers must be a non-empty list of 'yamux' and 'mplex'")
  const options = {
    privateKey: init.privateKey,
    listen,
    maxConnections,
    muxers,
    webSocket: { secure, trustedCertificates: trusted },
    keepAlive,
    staticPeers,
  }
  return {
    name: 'transport-libp2p',
    provides: [libp2pHost],
    wants: [nodeIdentity],
    create(components: Components): Libp2pHostService {
      // The identity is only read at start, so create touches nothing but references.
      const identity: NodeIdentity | undefined = components.has(nodeIdentity)
        ? components.get(nodeIdentity)
        : undefined
      return new Libp2pHostService(options, {
        log: components.logger.forComponent('libp2p'),
        metrics: hostMetrics(components.metrics),
        events: components.events,
        identity,
      })
    },
  }
}
