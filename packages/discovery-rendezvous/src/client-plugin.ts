import {
  type Components,
  DISCOVERY_BYTES_METRIC,
  devp2pHost,
  InvalidConfigError,
  libp2pHost,
  nodeIdentity,
  type Plugin,
  peerDiscovery,
} from '@parley/interfaces'
import { RendezvousDiscovery } from './client.ts'
import { type Clock, systemClock } from './clock.ts'
import { topicBytes } from './messages.ts'
import { isValidTopic, MAX_DISCOVER_LIMIT, MAX_TTL_NS } from './registry.ts'
import { serverPeerId } from './request.ts'

/** status-go's topics: Whisper relays, and Whisper mail servers. */
export const DEFAULT_RENDEZVOUS_TOPICS: readonly string[] = ['whisper', 'whispermail']

export interface RendezvousDiscoveryInit {
  /** server multiaddrs, each ending in `/p2p/<peer id>`; at least one */
  servers: readonly string[]
  /** topics searched (default `whisper`, `whispermail`); found peers carry the topic as capability */
  topics?: readonly string[]
  /** topics this node advertises itself under (default none: a mobile node only searches) */
  register?: readonly string[]
  /** registration lifetime (default 10 000 ms, status-go's; servers accept at most 20 000) */
  ttlMs?: number
  /** time between registrations (default 5 000 ms, status-go's) */
  registerIntervalMs?: number
  /** bound on one request, dial included (default 5 000 ms) */
  requestTimeoutMs?: number
  /** records asked for per DISCOVER (default and server maximum 10) */
  discoverLimit?: number
  /**
   * Search on its own every this many ms and announce finds as `peer:discovery`. Default: never;
   * a peer pool drives the search through `findPeers` instead.
   */
  discoverIntervalMs?: number
  /** the key the record is signed with; default the node's (`nodeIdentity`) */
  privateKey?: Uint8Array
  /** the IP the record advertises; default the devp2p host's */
  ip?: string
  clock?: Clock
}

function positiveInteger(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
) {
  const resolved = value ?? fallback
  if (!Number.isSafeInteger(resolved) || resolved < 1 || resolved > max)
    throw new InvalidConfigError(`rendezvousDiscovery: ${name} must be an integer in 1..${max}, got ${value}`)
  return resolved
}

function checkTopics(name: string, topics: readonly string[]): readonly string[] {
  for (const topic of topics) {
    if (!isValidTopic(topicBytes(topic)))
      throw new InvalidConfigError(`rendezvousDiscovery: ${name} topic "${topic}" must be 1..50 bytes`)
  }
  return [...topics]
}

/**
 * The rendezvous client plugin: a `peerDiscovery` source over the libp2p host. Registering needs
 * the devp2p host (its address goes in the record) and a key (`privateKey` or `nodeIdentity`).
 * Bad options throw `InvalidConfigError` here; a missing key or host throws it from `create`.
 */
export function rendezvousDiscovery(init: RendezvousDiscoveryInit): Plugin<RendezvousDiscovery> {
  if (init.servers.length === 0)
    throw new InvalidConfigError('rendezvousDiscovery: servers must name at least one')
  init.servers.forEach(serverPeerId)
  const maxTtlMs = Number(MAX_TTL_NS / 1_000_000n)
  const settings = {
    servers: [...init.servers],
    topics: checkTopics('search', init.topics ?? DEFAULT_RENDEZVOUS_TOPICS),
    register: checkTopics('register', init.register ?? []),
    ttlMs: positiveInteger('ttlMs', init.ttlMs, 10_000, maxTtlMs),
    registerIntervalMs: positiveInteger('registerIntervalMs', init.registerIntervalMs, 5_000),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', init.requestTimeoutMs, 5_000),
    discoverLimit: positiveInteger(
      'discoverLimit',
      init.discoverLimit,
      MAX_DISCOVER_LIMIT,
      MAX_DISCOVER_LIMIT,
    ),
    discoverIntervalMs:
      init.discoverIntervalMs === undefined
        ? undefined
        : positiveInteger('discoverIntervalMs', init.discoverIntervalMs, 1),
    ip: init.ip,
    clock: init.clock ?? systemClock,
  }
  return {
    name: 'discovery-rendezvous',
    provides: [peerDiscovery],
    needs: [libp2pHost],
    wants: [devp2pHost, nodeIdentity],
    create(components: Components): RendezvousDiscovery {
      const devp2p = components.has(devp2pHost) ? components.get(devp2pHost) : undefined
      const privateKey =
        init.privateKey ??
        (components.has(nodeIdentity) ? components.get(nodeIdentity).privateKey : undefined)
      if (settings.register.length > 0 && (devp2p === undefined || privateKey === undefined))
        throw new InvalidConfigError('rendezvousDiscovery: register needs a devp2p host and the node key')
      return new RendezvousDiscovery(
        { ...settings, privateKey },
        {
          host: components.get(libp2pHost),
          devp2p,
          log: components.logger.forComponent('discovery-rendezvous'),
          events: components.events,
          bytes: components.metrics.counter(DISCOVERY_BYTES_METRIC),
          requests: components.metrics.counter({
            name: 'parley_rendezvous_client_requests_total',
            help: 'Rendezvous requests made, by type (register, discover, remoteip) and result',
            labelNames: ['type', 'result'],
          }),
        },
      )
    },
  }
}
