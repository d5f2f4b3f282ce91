/**
 * The libp2p side of a node: the host (for `waku2`, and for rendezvous), and the Waku v2 protocols
 * `config` asks for, as full node services or as light clients of remote service nodes.
 */
import type { Secp256k1Provider } from '@parley/crypto'
import { type ComponentLogger, InvalidConfigError, type Plugin } from '@parley/interfaces'
import { formatStaticShardTopic } from '@parley/protocol-waku2'
import { wakuFilter, wakuFilterClient } from '@parley/protocol-waku2-filter'
import { wakuLightpush, wakuLightpushClient } from '@parley/protocol-waku2-lightpush'
import { wakuMetadata, wakuPeerExchange } from '@parley/protocol-waku2-peer-exchange'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { libp2p } from '@parley/transport-libp2p'
import { parseRetention } from '../config/retention.ts'
import type { ParleyConfig } from '../config/schema.ts'

export type Waku2Config = Pick<
  ParleyConfig,
  | 'protocol'
  | 'relay'
  | 'store'
  | 'filter'
  | 'lightpush'
  | 'peer-exchange'
  | 'cluster-id'
  | 'shard'
  | 'listen-address'
  | 'tcp-port'
  | 'websocket-support'
  | 'websocket-port'
  | 'lightpush-node'
  | 'filter-node'
  | 'store-node'
  | 'store-message-retention-policy'
  | 'rendezvous-node'
  | 'rendezvous-server'
  | 'rest'
>

export function runsWaku2(config: Pick<ParleyConfig, 'protocol'>): boolean {
  return config.protocol.includes('waku2')
}

/** The libp2p host runs for Waku v2 and for rendezvous, client or server. */
export function needsLibp2p(config: Waku2Config): boolean {
  return runsWaku2(config) || config['rendezvous-node'].length > 0 || config['rendezvous-server']
}

/** The relayed pubsub topics: `/waku/2/rs/<cluster>/<shard>` for each `shard`. */
export function pubsubTopics(config: Pick<ParleyConfig, 'cluster-id' | 'shard'>): string[] {
  return config.shard.map((shard) => formatStaticShardTopic(config['cluster-id'], Number(shard)))
}

export function libp2pListen(config: Waku2Config): string[] {
  const address = config['listen-address']
  const family = address.includes(':') ? 'ip6' : 'ip4'
  const listen = [`/${family}/${address}/tcp/${config['tcp-port']}`]
  if (config['websocket-support']) listen.push(`/${family}/${address}/tcp/${config['websocket-port']}/ws`)
  return listen
}

/** Remote service nodes, which the libp2p dialer keeps connected like static peers. */
export function serviceNodes(config: Waku2Config): string[] {
  const nodes = [config['lightpush-node'], config['filter-node'], config['store-node']]
  return [...new Set(nodes.filter((node) => node !== undefined))]
}

/** Settings that cannot work together, refused before anything starts. */
export function checkWaku2(config: Waku2Config): void {
  const needsWaku2 = (
    [
      ['store', config.store],
      ['filter', config.filter],
      ['lightpush', config.lightpush],
      ['peer-exchange', config['peer-exchange']],
      ['lightpush-node', config['lightpush-node'] !== undefined],
      ['filter-node', config['filter-node'] !== undefined],
      ['store-node', config['store-node'] !== undefined],
      ['rest', config.rest],
    ] as const
  )
    .filter(([, on]) => on)
    .map(([name]) => `--${name}`)
  if (!runsWaku2(config)) {
    if (needsWaku2.length > 0)
      throw new InvalidConfigError(
        `${needsWaku2.join(', ')} need${needsWaku2.length > 1 ? '' : 's'} --protocol waku2`,
      )
    return
  }
  for (const service of ['filter', 'lightpush'] as const)
    if (config[service] && !config.relay)
      throw new InvalidConfigError(`--${service} serves through the relay: it needs --relay`)
}

export function libp2pPlugins(
  config: Waku2Config,
  privateKey: Uint8Array,
  secp: Secp256k1Provider,
  logger: ComponentLogger,
): { transports: Plugin[]; protocols: Plugin[] } {
  checkWaku2(config)
  if (!needsLibp2p(config)) return { transports: [], protocols: [] }
  const transports = [libp2p({ privateKey, listen: libp2pListen(config) })]
  if (!runsWaku2(config)) return { transports, protocols: [] }

  const topics = pubsubTopics(config)
  const protocols: Plugin[] = [
    // nwaku disconnects peers that do not answer 66/WAKU2-METADATA with its cluster.
    wakuMetadata({
      clusterId: config['cluster-id'],
      ...(config.relay ? { shards: config.shard.map(Number) } : {}),
    }),
  ]
  if (config.relay) protocols.push(wakuRelay({ pubsubTopics: topics }))
  if (config.store || config['store-node'] !== undefined) {
    protocols.push(wakuStore(config.store ? storeInit(config, logger) : { serve: false }))
  }
  if (config.filter) protocols.push(wakuFilter())
  if (config['filter-node'] !== undefined) protocols.push(wakuFilterClient())
  if (config.lightpush) protocols.push(wakuLightpush())
  if (config['lightpush-node'] !== undefined) protocols.push(wakuLightpushClient())
  if (config['peer-exchange'])
    protocols.push(wakuPeerExchange({ secp, clusterId: config['cluster-id'], sources: ['discv5', 'dns'] }))
  return { transports, protocols }
}

function storeInit(config: Waku2Config, logger: ComponentLogger) {
  const retention = parseRetention(config['store-message-retention-policy'])
  // The schema checked it; a failure here is a bug, not input.
  if (!retention.ok) throw new TypeError(retention.reason)
  const { maxAgeSeconds, maxCount, maxBytes } = retention.value
  if (maxBytes !== undefined)
    logger
      .forComponent('cli')
      .warn(
        'the Waku v2 store keeps messages by time and count; the size: retention applies to the mailserver only',
      )
  return {
    retention: {
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      ...(maxCount === undefined ? {} : { maxMessages: maxCount }),
    },
  }
}
