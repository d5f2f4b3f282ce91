/**
 * The devp2p overlay: the host listens on `listen-address`:`devp2p-port` and keeps the enode
 * `staticnode` peers connected, and each configured devp2p `protocol` registers its capability on
 * it. Discovered peers are the peer pool's (discovery.ts).
 */
import type { Plugin } from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import type { Devp2pProtocolName, ParleyConfig } from '../config/schema.ts'

export interface OverlayPlugins {
  transports: Plugin[]
  protocols: Plugin[]
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

export function devp2pPlugins(config: ParleyConfig, privateKey: Uint8Array): OverlayPlugins {
  const protocols = devp2pProtocols(config)
  if (protocols.length === 0) return { transports: [], protocols: [] }
  return {
    transports: [
      devp2p({
        host: config['listen-address'],
        port: config['devp2p-port'],
        maxPeers: config['max-peers'],
        staticPeers: config.staticnode.filter((peer) => peer.startsWith('enode://')),
        privateKey,
      }),
    ],
    protocols: protocols.map((name) => protocolPlugin(name, config)),
  }
}
