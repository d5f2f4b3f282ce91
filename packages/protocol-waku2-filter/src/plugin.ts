import {
  type Capability,
  type Components,
  waku2Filter as interfacesWaku2Filter,
  waku2FilterClient as interfacesWaku2FilterClient,
  libp2pHost,
  type Plugin,
  waku2Relay,
} from '@parley/interfaces'
import { WakuFilterClient } from './client.ts'
import { filterClientMetrics, filterServerMetrics } from './metrics.ts'
import {
  filterClientSettings,
  filterServerSettings,
  type WakuFilterClientInit,
  type WakuFilterInit,
} from './options.ts'
import { WakuFilterServer } from './server.ts'

/** `@parley/interfaces`' `waku2Filter`, typed as this package's service: `node.get(waku2Filter)`. */
export const waku2Filter = interfacesWaku2Filter as Capability<WakuFilterServer>
/** `@parley/interfaces`' `waku2FilterClient`, typed as this package's client. */
export const waku2FilterClient = interfacesWaku2FilterClient as Capability<WakuFilterClient>

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
      return new WakuFilterServer(
        {
          host: components.get(libp2pHost),
          relay: components.get(waku2Relay),
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
          host: components.get(libp2pHost),
          logger: components.logger.forComponent('waku2-filter-client'),
          metrics: filterClientMetrics(components.metrics),
        },
        settings,
      )
    },
  }
}
