/** Turns the resolved configuration into `createNode` options: the one place config meets plugins. */
import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, hexToBytes, loadCrypto, type Secp256k1Provider } from '@parley/crypto'
import { dnsDiscovery } from '@parley/discovery-dns'
import { type AbortOptions, type ComponentLogger, InvalidConfigError, type Plugin } from '@parley/interfaces'
import { createLogger } from '@parley/logger'
import { prometheus } from '@parley/metrics-prometheus'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { sqliteStore } from '@parley/store-sqlite'
import { devp2p } from '@parley/transport-devp2p'
import type { ParleyConfig } from '../config/schema.ts'
import type { TextSink } from '../io.ts'
import { discoveryDialer } from './discovery-dialer.ts'
import { identityPlugin } from './identity.ts'

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
 * nwaku's `sqlite://store.sqlite3`) or `memory://`.
 */
export function storeFromUrl(url: string): Plugin {
  if (url === 'memory://' || url === 'memory:') return memoryStore()
  const sqlitePath = /^sqlite:\/\/(.+)$/.exec(url)?.[1]
  if (sqlitePath !== undefined) return sqliteStore({ path: sqlitePath })
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
  throw new InvalidConfigError(
    `store-message-db-url "${url}": ${scheme === undefined ? 'not a URL' : `the ${scheme} store is not available yet`}; use sqlite://<path> or memory://`,
  )
}

export interface ComposedNode {
  node: ParleyNode
  /** true when no nodekey was configured and a fresh one was generated */
  ephemeralKey: boolean
}

export async function composeNode(
  config: ParleyConfig,
  logger: ComponentLogger,
  options: AbortOptions = {},
): Promise<ComposedNode> {
  const store = storeFromUrl(config['store-message-db-url'])
  const crypto = await loadCrypto({
    secp256k1: config['secp256k1-provider'],
    logger: logger.forComponent('crypto'),
    signal: options.signal,
  })
  const privateKey = config.nodekey === undefined ? generatePrivateKey() : hexToBytes(config.nodekey)
  const services: Record<string, Plugin> = { identity: identityPlugin(crypto.secp256k1, privateKey) }
  if (config['metrics-server']) {
    services.metrics = prometheus({
      address: config['metrics-server-address'],
      port: config['metrics-server-port'],
    })
  }
  const node = createNode({
    name: config.name,
    store,
    services,
    logger,
    ...(config.whisper ? whisperPlugins(config, privateKey, crypto.secp256k1) : {}),
  })
  return { node, ephemeralKey: config.nodekey === undefined }
}

/**
 * The devp2p overlay with Whisper on it: the host listens on `listen-address`:`tcp-port` and keeps
 * the `staticnode` peers connected; DNS-discovered nodes are dialled while there is room.
 */
export function whisperPlugins(
  config: ParleyConfig,
  privateKey: Uint8Array,
  secp: Secp256k1Provider,
): { transports: Plugin[]; protocols: Plugin[]; discovery: Plugin[] } {
  const urls = config['dns-discovery-url']
  const servers = config['dns-discovery-name-server']
  return {
    transports: [
      devp2p({
        host: config['listen-address'],
        port: config['tcp-port'],
        maxPeers: config['max-peers'],
        staticPeers: config.staticnode,
        privateKey,
      }),
    ],
    protocols: [whisper({ minPow: config['whisper-min-pow'], lightNode: config['whisper-light-node'] })],
    discovery:
      urls.length === 0
        ? []
        : [
            dnsDiscovery({ urls, ...(servers.length === 0 ? {} : { servers }), secp }),
            discoveryDialer({ sources: ['dns'], maxPeers: config['max-peers'] }),
          ],
  }
}
