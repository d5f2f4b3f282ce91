/**
 * The libp2p side of a node: the host (for `waku2`, and for rendezvous), and the Waku v2 protocols
 * `config` asks for, as full node services or as light clients of remote service nodes.
 */
import { statSync } from 'node:fs'
import type { Secp256k1Provider } from '@parley/crypto'
import { type ComponentLogger, InvalidConfigError, type Plugin } from '@parley/interfaces'
import { formatStaticShardTopic } from '@parley/protocol-waku2'
import { wakuFilter, wakuFilterClient } from '@parley/protocol-waku2-filter'
import { wakuLightpush, wakuLightpushClient } from '@parley/protocol-waku2-lightpush'
import { wakuMetadata, wakuPeerExchange } from '@parley/protocol-waku2-peer-exchange'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { type Libp2pInit, libp2p } from '@parley/transport-libp2p'
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
  | 'websocket-secure-support'
  | 'websocket-secure-cert-path'
  | 'websocket-secure-key-path'
  | 'keep-alive'
  | 'keep-alive-interval'
  | 'staticnode'
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
  // As in nwaku, secure support turns the one WebSocket listener into a TLS one.
  const webSocket = config['websocket-secure-support'] ? 'wss' : config['websocket-support'] ? 'ws' : ''
  if (webSocket !== '') listen.push(`/${family}/${address}/tcp/${config['websocket-port']}/${webSocket}`)
  return listen
}

/** Remote service nodes, which the libp2p host keeps connected like static peers. */
export function serviceNodes(config: Waku2Config): string[] {
  const nodes = [config['lightpush-node'], config['filter-node'], config['store-node']]
  return [...new Set(nodes.filter((node) => node !== undefined))]
}

/** Peers the libp2p host dials at start and redials with back-off: multiaddr `staticnode`s and service nodes. */
export function libp2pStaticPeers(config: Waku2Config): string[] {
  const multiaddrs = config.staticnode.filter((peer) => !peer.startsWith('enode://'))
  return [...new Set([...multiaddrs, ...serviceNodes(config)])]
}

/** The `libp2p(...)` init the configuration asks for, key aside. */
export function libp2pInit(config: Waku2Config): Libp2pInit {
  const certPath = config['websocket-secure-cert-path']
  const keyPath = config['websocket-secure-key-path']
  return {
    listen: libp2pListen(config),
    ...(config['websocket-secure-support'] && certPath !== undefined && keyPath !== undefined
      ? { secureWebSocket: { certPath, keyPath } }
      : {}),
    keepAliveInterval: config['keep-alive'] ? config['keep-alive-interval'] * 1000 : 0,
    staticPeers: runsWaku2(config) ? libp2pStaticPeers(config) : [],
  }
}

/**
 * nwaku's rule: secure WebSocket support needs a certificate and a key, and here both must be
 * readable files when the node starts, not at the first TLS handshake.
 */
function checkSecureWebSocket(config: Waku2Config): void {
  const paths = [
    ['websocket-secure-cert-path', config['websocket-secure-cert-path']],
    ['websocket-secure-key-path', config['websocket-secure-key-path']],
  ] as const
  if (!config['websocket-secure-support']) {
    const given = paths.filter(([, path]) => path !== undefined).map(([name]) => `--${name}`)
    if (given.length > 0)
      throw new InvalidConfigError(
        `${given.join(', ')} need${given.length > 1 ? '' : 's'} --websocket-secure-support`,
      )
    return
  }
  for (const [name, path] of paths)
    if (path === undefined)
      throw new InvalidConfigError(`--websocket-secure-support needs --${name} (a PEM file)`)
  for (const [name, path] of paths) {
    if (path === undefined) continue
    const stats = statSync(path, { throwIfNoEntry: false })
    if (stats === undefined) throw new InvalidConfigError(`--${name} ${path}: no such file`)
    if (!stats.isFile()) throw new InvalidConfigError(`--${name} ${path}: not a file`)
  }
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
  checkSecureWebSocket(config)
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
  const transports = [libp2p({ privateKey, ...libp2pInit(config) })]
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
