/** The `devp2p(init)` plugin factory: provides `devp2pHost`, uses `nodeIdentity` when present. */
import {
  type Components,
  devp2pHost,
  InvalidConfigError,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
} from '@parley/interfaces'
import { parseEnode } from './enode.ts'
import { Devp2pHostService } from './host.ts'
import { hostMetrics } from './metrics.ts'
import type { RedialDelay } from './redial.ts'

export interface Devp2pInit {
  /** 32-byte secp256k1 key. Default: the `nodeIdentity` capability's key, else one generated at first start. */
  privateKey?: Uint8Array
  /** Interface to listen on. Default `127.0.0.1`; use `0.0.0.0` to accept peers from the network. */
  host?: string
  /** TCP port. Default 30303; 0 picks a free port (read it back from `enode`). */
  port?: number
  /**
   * Connected peers, inbound and outbound together. Default 25: a Status-stack node relays
   * Whisper/Waku envelopes to every peer, so it runs below geth's 50 for full nodes.
   */
  maxPeers?: number
  /** The client id sent in Hello. Default `parley/v0.1.0`. */
  clientId?: string
  /** enode URLs dialled at start and redialled whenever they are not connected. */
  staticPeers?: readonly string[]
  /** Bound on the TCP connect and on each handshake phase. Default 5000 ms, go-ethereum's handshake timeout. */
  dialTimeoutMs?: number
  /** Static peer back-off. Default 1 s doubling to 60 s, ±20 % jitter. */
  redialDelay?: RedialDelay
  /** Ping interval of each session. Default 15000 ms. */
  pingIntervalMs?: number
  /** A session with no frame for this long ends. Default 30000 ms. */
  readTimeoutMs?: number
}

function positiveInteger(value: number | undefined, fallback: number, what: string, min = 1): number {
  const chosen = value ?? fallback
  if (!Number.isInteger(chosen) || chosen < min)
    throw new InvalidConfigError(`devp2p ${what} must be an integer ≥ ${min}`)
  return chosen
}

/** The devp2p (RLPx v5) host plugin: `createNode({ plugins: [devp2p({ port: 30303 })] })`. */
export function devp2p(init: Devp2pInit = {}): Plugin<Devp2pHostService> {
  const port = positiveInteger(init.port, 30303, 'port', 0)
  if (port > 65535) throw new InvalidConfigError('devp2p port must be at most 65535')
  const options = {
    privateKey: init.privateKey,
    host: init.host ?? '127.0.0.1',
    port,
    maxPeers: positiveInteger(init.maxPeers, 25, 'maxPeers', 0),
    clientId: init.clientId ?? 'parley/v0.1.0',
    staticPeers: [...(init.staticPeers ?? [])],
    dialTimeoutMs: positiveInteger(init.dialTimeoutMs, 5000, 'dialTimeoutMs'),
    redialDelay: init.redialDelay,
    pingIntervalMs: init.pingIntervalMs,
    readTimeoutMs: init.readTimeoutMs,
  }
  if (init.privateKey !== undefined && init.privateKey.length !== 32)
    throw new InvalidConfigError('devp2p privateKey must be 32 bytes')
  for (const url of options.staticPeers) {
    try {
      parseEnode(url)
    } catch (cause) {
      throw new InvalidConfigError(`devp2p static peer is not a valid enode URL: ${url}`, { cause })
    }
  }
  return {
    name: 'transport-devp2p',
    provides: [devp2pHost],
    wants: [nodeIdentity],
    create(components: Components): Devp2pHostService {
      // The identity service is only read at start, so create touches nothing but references.
      const identity: NodeIdentity | undefined = components.has(nodeIdentity)
        ? components.get(nodeIdentity)
        : undefined
      return new Devp2pHostService(options, {
        log: components.logger.forComponent('devp2p'),
        metrics: hostMetrics(components.metrics),
        events: components.events,
        identity,
      })
    },
  }
}
