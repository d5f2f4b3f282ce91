/** The `libp2p(init)` plugin factory: provides `libp2pHost`, uses `nodeIdentity` when present. */
import { multiaddr } from '@multiformats/multiaddr'
import {
  type Components,
  InvalidConfigError,
  libp2pHost,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
} from '@parley/interfaces'
import { Libp2pHostService, type Libp2pMuxer } from './host.ts'
import { hostMetrics } from './metrics.ts'

export interface Libp2pInit {
  /**
   * 32-byte secp256k1 key, the same one devp2p uses: one key per node. Default: the `nodeIdentity`
   * capability's key, else one generated at first start (kept across restarts of this service).
   */
  privateKey?: Uint8Array
  /** Listen multiaddrs. Default nwaku's: TCP 60000 and plain WebSocket 8000 on every interface. */
  listen?: readonly string[]
  /** Open connections, inbound and outbound together. Default 150, nwaku's `--max-connections`. */
  maxConnections?: number
  /** Stream muxers in preference order. Default `['yamux', 'mplex']`: nwaku offers both. */
  muxers?: readonly Libp2pMuxer[]
}

export const DEFAULT_LISTEN: readonly string[] = ['/ip4/0.0.0.0/tcp/60000', '/ip4/0.0.0.0/tcp/8000/ws']
export const DEFAULT_MAX_CONNECTIONS = 150

/** The libp2p host plugin: `createNode({ plugins: [libp2p({ listen: ['/ip4/0.0.0.0/tcp/60000'] })] })`. */
export function libp2p(init: Libp2pInit = {}): Plugin<Libp2pHostService> {
  if (init.privateKey !== undefined && init.privateKey.length !== 32)
    throw new InvalidConfigError('libp2p privateKey must be 32 bytes')
  const maxConnections = init.maxConnections ?? DEFAULT_MAX_CONNECTIONS
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new InvalidConfigError('libp2p maxConnections must be an integer ≥ 1')
  const listen = [...(init.listen ?? DEFAULT_LISTEN)]
  for (const address of listen) {
    try {
      multiaddr(address)
    } catch (cause) {
      throw new InvalidConfigError(`libp2p listen address is not a multiaddr: ${address}`, { cause })
    }
  }
  const muxers = [...new Set<Libp2pMuxer>(init.muxers ?? ['yamux', 'mplex'])]
  if (muxers.length === 0 || muxers.some((name) => name !== 'yamux' && name !== 'mplex'))
    throw new InvalidConfigError("libp2p muxers must be a non-empty list of 'yamux' and 'mplex'")
  const options = { privateKey: init.privateKey, listen, maxConnections, muxers }
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
