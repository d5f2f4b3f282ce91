/**
 * Discovery: DNS node lists, rendezvous and discv5 as sources; the peer pool dials their devp2p
 * peers (within per-topic limits, with a cache in the node's store) and the libp2p dialer their
 * Waku v2 peers.
 */
import type { Secp256k1Provider } from '@parley/crypto'
import { discv5 } from '@parley/discovery-discv5'
import { dnsDiscovery } from '@parley/discovery-dns'
import { rendezvousDiscovery, rendezvousServer } from '@parley/discovery-rendezvous'
import type { Waku2Capability } from '@parley/enr'
import { InvalidConfigError, type Plugin } from '@parley/interfaces'
import { peerPool } from '@parley/peer-pool'
import type { ParleyConfig } from '../config/schema.ts'
import { parsePoolTopic } from '../config/schema-discovery.ts'
import { devp2pProtocols } from './devp2p.ts'
import { libp2pDialer } from './libp2p-dialer.ts'
import { runsWaku2 } from './waku2.ts'

/** The rendezvous and pool topic of each devp2p protocol, as status-go names them. */
const PROTOCOL_TOPIC = { whisper: 'whisper', waku1: 'waku' } as const

/** The pool's topics: `peer-pool-topic`, else the first protocol's topic at 2..3 peers. */
export function poolTopics(config: ParleyConfig): Record<string, { min: number; max: number }> {
  const given = config['peer-pool-topic'].map(parsePoolTopic)
  if (given.length > 0)
    return Object.fromEntries(
      given.flatMap((topic) =>
        topic === undefined ? [] : [[topic.name, { min: topic.min, max: topic.max }]],
      ),
    )
  const [first = 'whisper'] = devp2pProtocols(config)
  return { [PROTOCOL_TOPIC[first]]: { min: 2, max: 3 } }
}

/** Whether any source finds devp2p peers for the pool. */
function hasDevp2pSources(config: ParleyConfig): boolean {
  return (
    config['dns-discovery-url'].length > 0 ||
    config['rendezvous-node'].length > 0 ||
    config['discv5-discovery']
  )
}

/** Settings that cannot work together, refused before anything starts. */
export function checkDiscovery(config: ParleyConfig): void {
  const devp2p = devp2pProtocols(config).length > 0
  if (config['rendezvous-node'].length > 0 && !devp2p)
    throw new InvalidConfigError('--rendezvous-node finds devp2p peers: it needs --protocol whisper or waku1')
  if (!devp2p && config.staticnode.some((peer) => peer.startsWith('enode://')))
    throw new InvalidConfigError(
      'enode --staticnode peers speak devp2p: they need --protocol whisper or waku1',
    )
  if (!runsWaku2(config) && config.staticnode.some((peer) => !peer.startsWith('enode://')))
    throw new InvalidConfigError('multiaddr --staticnode peers speak libp2p: they need --protocol waku2')
  if (config['discv5-discovery'] && !devp2p && !runsWaku2(config))
    throw new InvalidConfigError('--discv5-discovery finds peers for a protocol: it needs --protocol')
}

export function discoveryPlugins(config: ParleyConfig, secp: Secp256k1Provider): Plugin[] {
  const devp2p = devp2pProtocols(config)
  const waku2 = runsWaku2(config)
  const plugins: Plugin[] = []
  const urls = config['dns-discovery-url']
  if (urls.length > 0 && (devp2p.length > 0 || waku2)) {
    const servers = config['dns-discovery-name-server']
    plugins.push(dnsDiscovery({ urls, ...(servers.length === 0 ? {} : { servers }), secp }))
  }
  if (config['rendezvous-node'].length > 0) {
    const topics = Object.keys(poolTopics(config))
    const register = config['light-node']
      ? []
      : [...devp2p.map((name) => PROTOCOL_TOPIC[name]), ...(config.mailserver ? ['whispermail'] : [])]
    plugins.push(rendezvousDiscovery({ servers: config['rendezvous-node'], topics, register }))
  }
  if (config['rendezvous-server']) plugins.push(rendezvousServer())
  if (config['discv5-discovery']) plugins.push(discv5Plugin(config))
  if (devp2p.length > 0 && hasDevp2pSources(config)) plugins.push(peerPool({ topics: poolTopics(config) }))
  // Static peers and service nodes are the libp2p host's own (waku2.ts); this dials discovered ones.
  if (waku2 && (urls.length > 0 || config['discv5-discovery'])) {
    plugins.push(libp2pDialer({ sources: ['dns', 'discv5'], maxPeers: config['max-peers'] }))
  }
  return plugins
}

function discv5Plugin(config: ParleyConfig): Plugin {
  const waku2 = runsWaku2(config)
  const devp2p = devp2pProtocols(config)
  const capabilities: Waku2Capability[] = [
    ...(config.relay ? (['relay'] as const) : []),
    ...(config.store ? (['store'] as const) : []),
    ...(config.filter ? (['filter'] as const) : []),
    ...(config.lightpush ? (['lightpush'] as const) : []),
  ]
  const listen = config['listen-address']
  const wildcard = listen === '0.0.0.0' || listen === '::'
  return discv5({
    bootstrap: config['discv5-bootstrap-node'],
    protocolId: config['discv5-protocol-id'] ?? (waku2 ? 'd5waku' : 'discv5'),
    host: listen,
    port: config['discv5-udp-port'],
    ...(wildcard ? {} : { announceIp: listen }),
    // A Waku record takes its tcp (and ws multiaddrs) from the running libp2p host itself.
    ...(waku2 ? {} : { tcp: config['devp2p-port'] }),
    ...(waku2
      ? {
          waku2: capabilities,
          shards: { cluster: config['cluster-id'], shards: config.shard.map(Number) },
        }
      : {}),
    ...(devp2p.length > 0
      ? { v1: Object.fromEntries(devp2p.map((name) => (name === 'whisper' ? ['whisper', 6] : ['waku', 1]))) }
      : {}),
  })
}
