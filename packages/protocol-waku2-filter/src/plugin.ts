import {
  type Components,
  capability,
  InvalidConfigError,
  libp2pHost,
  type Plugin,
  waku2Relay,
} from '@parley/interfaces'
import { WakuFilterClient } from './client.ts'
import { serviceHost } from './host.ts'
import { filterClientMetrics, filterServerMetrics } from './metrics.ts'
import {
  filterClientSettings,
  filterServerSettings,
  type WakuFilterClientInit,
  type WakuFilterInit,
} from './options.ts'
import { type FilterRelay, WakuFilterServer } from './server.ts'

/** The 12/WAKU2-FILTER service of a node: `node.get(waku2Filter)`. */
export const waku2Filter = capability<WakuFilterServer>('waku2-filter')
/** The 12/WAKU2-FILTER light client of a node: `node.get(waku2FilterClient).filterSubscribe(…)`. */
export const waku2FilterClient = capability<WakuFilterClient>('waku2-filter-client')

/**
 * The filter service: `protocols: [wakuRelay(), wakuFilter()]`. Needs `libp2pHost` and `waku2Relay`
 * (it pushes what the relay accepts or publishes); bad options throw `InvalidConfigError` here.
 */
export function wakuFilter(init: WakuFilterInit = {}): Plugin<WakuFilterServer> {
  const settings = filterServerSettings(init)
  return {
    name: 'protocol-waku2-filter',
    provides: [waku2Filter],
    needs: [libp2pHost, waku2Relay],
    create(components: Components): WakuFilterServer {
      const relay = components.get(waku2Relay)
      if (!('router' in relay))
        throw new InvalidConfigError('waku2 filter needs the gossipsub relay of @parley/protocol-waku2-relay')
      return new WakuFilterServer(
        {
          host: serviceHost(components.get(libp2pHost), 'waku2 filter'),
          relay: relay as unknown as FilterRelay,
          logger: components.logger.forComponent('waku2-filter'),
          metrics: filterServerMetrics(components.metrics),
        },
        settings,
      )
    },
  }
}

/** The filter light client: `protocols: [wakuFilterClient()]`; needs only `libp2pHost`. */
export function wakuFilterClient(init: WakuFilterClientInit = {}): Plugin<WakuFilterClient> {
  const settings = filterClientSettings(init)
  return {
    name: 'protocol-waku2-filter-client',
    provides: [waku2FilterClient],
    needs: [libp2pHost],
    create(components: Components): WakuFilterClient {
      return new WakuFilterClient(
        {
          host: serviceHost(components.get(libp2pHost), 'waku2 filter client'),
          logger: components.logger.forComponent('waku2-filter-client'),
          metrics: filterClientMetrics(components.metrics),
        },
        settings,
      )
    },
  }
}
