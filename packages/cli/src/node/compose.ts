/** Turns the resolved configuration into `createNode` options: the one place config meets plugins. */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import type { Discv5Discovery } from '@parley/discovery-discv5'
import { type AbortOptions, type ComponentLogger, InvalidConfigError, type Plugin } from '@parley/interfaces'
import { createLogger } from '@parley/logger'
import { prometheus } from '@parley/metrics-prometheus'
import { levelStore } from '@parley/store-level'
import { memoryStore } from '@parley/store-memory'
import { postgresStore } from '@parley/store-postgres'
import { sqliteStore } from '@parley/store-sqlite'
import type { ParleyConfig } from '../config/schema.ts'
import type { TextSink } from '../io.ts'
import { bridgePlugins } from './bridge.ts'
import { devp2pPlugins } from './devp2p.ts'
import { checkDiscovery, discoveryPlugins } from './discovery.ts'
import { historyPlugins } from './history.ts'
import { identityPlugin } from './identity.ts'
import { type NodeKey, resolveNodeKey } from './nodekey.ts'
import { restPlugin } from './rest.ts'
import { rpcPlugin } from './rpc.ts'
import { checkWaku2, libp2pPlugins } from './waku2.ts'

export function loggerFor(
  config: Pick<ParleyConfig, 'log-level' | 'log-format'>,
  sink: TextSink,
): ComponentLogger {
  return createLogger({
    level: config['log-level'],
    json: config['log-format'] === 'json',
    write: (line) => sink.write(`${line}\n`),
  })
}

/**
 * The archive plugin for `store-message-db-url`, nwaku-style: `sqlite://<path>` (relative paths as
 * nwaku's `sqlite://store.sqlite3`), `postgres://…` (the URL as is), `level://<directory>` (also a
 * status-go mailserver's LevelDB) or `memory://`.
 */
export function storeFromUrl(url: string): Plugin {
  if (url === 'memory://' || url === 'memory:') return memoryStore()
  const sqlitePath = /^sqlite:\/\/(.+)$/.exec(url)?.[1]
  if (sqlitePath !== undefined) return sqliteStore({ path: sqlitePath })
  if (/^postgres(ql)?:\/\/./.test(url)) return postgresStore({ url })
  const levelPath = /^level:\/\/(.+)$/.exec(url)?.[1]
  if (levelPath !== undefined) return levelStore({ path: levelPath })
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
  throw new InvalidConfigError(
    `store-message-db-url "${url}": ${scheme === undefined ? 'not a URL' : `no store speaks ${scheme}`}; use sqlite://<path>, postgres://…, level://<directory> or memory://`,
  )
}

export interface ComposedNode {
  node: ParleyNode
  /** where the node key came from (`ephemeral`: generated for this run only) */
  nodeKey: NodeKey
}

export interface ComposeOptions extends AbortOptions {
  /** more services on top of what `config` asks for (`parley chat`'s messaging stack) */
  services?: Readonly<Record<string, Plugin>>
}

export async function composeNode(
  config: ParleyConfig,
  logger: ComponentLogger,
  options: ComposeOptions = {},
): Promise<ComposedNode> {
  // Settings that cannot work are refused before anything is loaded or opened.
  const store = storeFromUrl(config['store-message-db-url'])
  const rpc = rpcPlugin(config)
  const history = historyPlugins(config)
  const bridges = bridgePlugins(config)
  checkWaku2(config)
  checkDiscovery(config)
  if (config.mailserver && store.name === 'store-memory') {
    logger
      .forComponent('cli')
      .warn('the mailserver archive is in memory and lost on exit; keep it with --store-message-db-url')
  }
  const crypto = await loadCrypto({
    secp256k1: config['secp256k1-provider'],
    logger: logger.forComponent('crypto'),
    signal: options.signal,
  })
  const nodeKey = await resolveNodeKey(config, options)
  const services: Record<string, Plugin> = { identity: identityPlugin(crypto.secp256k1, nodeKey.privateKey) }
  if (config['metrics-server']) {
    services.metrics = prometheus({
      address: config['metrics-server-address'],
      port: config['metrics-server-port'],
    })
  }
  if (rpc !== undefined) services.rpc = rpc
  // The REST API reports discv5's record, which exists only once the node runs.
  let discv5Record: (() => string | undefined) | undefined
  const rest = restPlugin(config, () => discv5Record?.())
  if (rest !== undefined) services.rest = rest
  Object.assign(services, history, options.services)
  const devp2p = devp2pPlugins(config, nodeKey.privateKey)
  const libp2p = libp2pPlugins(config, nodeKey.privateKey, crypto.secp256k1, logger)
  const node = createNode({
    name: config.name,
    store,
    services,
    logger,
    transports: [...devp2p.transports, ...libp2p.transports],
    protocols: [...devp2p.protocols, ...libp2p.protocols, ...bridges],
    discovery: discoveryPlugins(config, crypto.secp256k1),
  })
  if (config['discv5-discovery']) {
    discv5Record = () => {
      const discv5 = node.service<Discv5Discovery>('discovery-discv5')
      return discv5.isStarted() ? discv5.enr : undefined
    }
  }
  return { node, nodeKey }
}
