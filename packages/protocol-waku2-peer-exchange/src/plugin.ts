/** Plugin factories: `wakuPeerExchange(init)` and `wakuMetadata(init)`. Both need `libp2pHost`. */
import { type Components, libp2pHost, type Plugin, peerDiscovery, waku2Relay } from '@parley/interfaces'
import { WakuMetadataService } from './metadata/metadata.ts'
import { metadataSettings, type WakuMetadataInit } from './metadata/options.ts'
import { peerExchangeMetrics } from './metrics.ts'
import { peerExchangeSettings, type WakuPeerExchangeInit } from './options.ts'
import { WakuPeerExchange } from './peer-exchange.ts'

/**
 * 34/WAKU2-PEER-EXCHANGE: provides `peerDiscovery` (the client) and serves records found by the
 * node's discv5 (its `peer:discovery` events). Bad options throw `InvalidConfigError` here.
 */
export function wakuPeerExchange(init: WakuPeerExchangeInit): Plugin<WakuPeerExchange> {
  const settings = peerExchangeSettings(init)
  return {
    name: 'protocol-waku2-peer-exchange',
    provides: [peerDiscovery],
    needs: [libp2pHost],
    create: (components: Components) =>
      new WakuPeerExchange(
        {
          host: components.get(libp2pHost),
          secp: init.secp,
          logger: components.logger.forComponent('waku2-peer-exchange'),
          metrics: peerExchangeMetrics(components.metrics),
          events: components.events,
        },
        settings,
      ),
  }
}

/** The relay's topic list when it offers one (protocol-waku2-relay's `pubsubTopics()`). */
function relayTopics(relay: unknown): { pubsubTopics(): string[] } | undefined {
  const candidate = relay as { pubsubTopics?: unknown }
  return typeof candidate.pubsubTopics === 'function' ? (relay as { pubsubTopics(): string[] }) : undefined
}

/** 66/WAKU2-METADATA: cluster and shards exchange on connect. Bad options throw `InvalidConfigError`. */
export function wakuMetadata(init: WakuMetadataInit): Plugin<WakuMetadataService> {
  const settings = metadataSettings(init)
  return {
    name: 'protocol-waku2-metadata',
    needs: [libp2pHost],
    wants: [waku2Relay],
    create: (components: Components) =>
      new WakuMetadataService(
        {
          host: components.get(libp2pHost),
          events: components.events,
          logger: components.logger.forComponent('waku2-metadata'),
          relay: components.has(waku2Relay) ? relayTopics(components.get(waku2Relay)) : undefined,
        },
        settings,
      ),
  }
}
