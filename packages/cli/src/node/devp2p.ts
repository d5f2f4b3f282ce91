/**
 * The devp2p overlay: the host listens on `listen-address`:`devp2p-port` and keeps the `staticnode`
 * peers connected, each configured `protocol` registers its capability on it, and DNS-discovered
 * nodes are dialled while there is room.
 */
import type { Secp256k1Provider } from '@parley/crypto'
import { dnsDiscovery } from '@parley/discovery-dns'
import type { Plugin } from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import type { Devp2pProtocolName, ParleyConfig } from '../config/schema.ts'
import { discoveryDialer } from './discovery-dialer.ts'

export interface OverlayPlugins {
  transports: Plugin[]
  protocols: Plugin[]
  discovery: Plugin[]
}

/** The protocols `config` runs, in the order given; none means no devp2p at all. */
export function devp2pProtocols(config: Pick<ParleyConfig, 'protocol'>): Devp2pProtocolName[] {
  return config.protocol.filter((name): name is Devp2pProtocolName => name === 'whisper' || name === 'waku1')
}

export function protocolPlugin(
  name: Devp2pProtocolName,
  config: Pick<ParleyConfig, 'min-pow' | 'light-node'>,
): Plugin {
  const init = { minPow: config['min-pow'], lightNode: config['light-node'] }
  return name === 'whisper' ? whisper(init) : waku1(init)
}

export function overlayPlugins(
  config: ParleyConfig,
  privateKey: Uint8Array,
  secp: Secp256k1Provider,
): OverlayPlugins {
  const protocols = devp2pProtocols(config)
  if (protocols.length === 0) return { transports: [], protocols: [], discovery: [] }
  const urls = config['dns-discovery-url']
  const servers = config['dns-discovery-name-server']
  return {
    transports: [
      devp2p({
        host: config['listen-address'],
        port: config['devp2p-port'],
        maxPeers: config['max-peers'],
        staticPeers: config.staticnode,
        privateKey,
      }),
    ],
    protocols: protocols.map((name) => protocolPlugin(name, config)),
    discovery:
      urls.length === 0
        ? []
        : [
            dnsDiscovery({ urls, ...(servers.length === 0 ? {} : { servers }), secp }),
            discoveryDialer({ sources: ['dns'], maxPeers: config['max-peers'] }),
          ],
  }
}
