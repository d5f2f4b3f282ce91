import {
  type Capability,
  type Components,
  InvalidConfigError,
  waku2Store as interfacesWaku2Store,
  libp2pHost,
  messageArchive,
  type Plugin,
  waku2Relay,
} from '@parley/interfaces'
import { storeMetrics } from './metrics.ts'
import { storeSettings, type WakuStoreInit } from './options.ts'
import { WakuStore } from './store.ts'

/**
 * `@parley/interfaces`' `waku2Store` token, typed as this package's `WakuStore` (the same token:
 * `node.get(waku2Store)` from either package finds the same service).
 */
export const waku2Store = interfacesWaku2Store as Capability<WakuStore>

/**
 * The Waku v2 store plugin: `createNode({ transports: [libp2p()], protocols: [wakuRelay(),
 * wakuStore()], store: memoryStore() })`. Needs `libp2pHost`; serves from `messageArchive` and
 * archives from `waku2Relay` when the node has them. Bad options throw `InvalidConfigError` here.
 */
export function wakuStore(init: WakuStoreInit = {}): Plugin<WakuStore> {
  const settings = storeSettings(init)
  return {
    name: 'protocol-waku2-store',
    provides: [waku2Store],
    needs: [libp2pHost],
    wants: [messageArchive, waku2Relay],
    create(components: Components): WakuStore {
      const host = components.get(libp2pHost)
      if (settings.serve && !components.has(messageArchive))
        throw new InvalidConfigError(
          'waku2 store serves from a message archive: add a store plugin (memoryStore(), …) or pass serve: false',
        )
      return new WakuStore(
        {
          host,
          archive: settings.serve ? components.get(messageArchive) : undefined,
          relay: settings.serve && components.has(waku2Relay) ? components.get(waku2Relay) : undefined,
          logger: components.logger.forComponent('waku2-store'),
          metrics: storeMetrics(components.metrics),
        },
        settings,
      )
    },
  }
}
