import {
  type Components,
  devp2pHost,
  InvalidConfigError,
  keyValueStore,
  type Plugin,
  peerDiscovery,
} from '@parley/interfaces'
import { PEER_POOL_DEFAULTS, type PeerPool, type PeerPoolInit } from './api.ts'
import { systemClock } from './clock.ts'
import { DevP2pPeerPool } from './peer-pool.ts'
import { DEFAULT_TOPICS, validateTopics } from './topics.ts'

function checkPositive(init: PeerPoolInit): void {
  for (const name of [
    'fastIntervalMs',
    'slowIntervalMs',
    'starvedRefreshMs',
    'foundPeerExpiryMs',
    'cacheSize',
    'dialTimeoutMs',
    'maxPendingDials',
  ] as const) {
    const value = init[name]
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
      throw new InvalidConfigError(`peerPool: ${name} must be a positive integer, got ${value}`)
  }
}

/**
 * The peer pool plugin (name `peer-pool`): needs `devp2pHost`; wants every `peerDiscovery`
 * provider and the `keyValueStore` (its peer cache). Bad options throw `InvalidConfigError` here.
 */
export function peerPool(init: PeerPoolInit = {}): Plugin<PeerPool> {
  const topics = init.topics ?? DEFAULT_TOPICS
  validateTopics(topics)
  checkPositive(init)
  return {
    name: 'peer-pool',
    needs: [devp2pHost],
    wants: [peerDiscovery, keyValueStore],
    create(components: Components): PeerPool {
      return new DevP2pPeerPool(
        { ...PEER_POOL_DEFAULTS, clock: systemClock, ...init, topics },
        {
          host: components.get(devp2pHost),
          sources: components.has(peerDiscovery) ? components.getAll(peerDiscovery) : [],
          store: components.has(keyValueStore) ? components.get(keyValueStore) : undefined,
          events: components.events,
          log: components.logger.forComponent('peer-pool'),
          metrics: components.metrics,
        },
      )
    },
  }
}
