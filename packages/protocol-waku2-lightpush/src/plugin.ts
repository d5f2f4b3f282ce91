import {
  type Capability,
  type Components,
  waku2Lightpush as interfacesWaku2Lightpush,
  waku2LightpushClient as interfacesWaku2LightpushClient,
  libp2pHost,
  type Plugin,
  waku2Relay,
} from '@parley/interfaces'
import { WakuLightpushClient } from './client.ts'
import { lightpushClientMetrics, lightpushServerMetrics } from './metrics.ts'
import { lightpushServerSettings, type WakuLightpushInit } from './options.ts'
import { WakuLightpushServer } from './server.ts'

/** `@parley/interfaces`' `waku2Lightpush`, typed as this package's service. */
export const waku2Lightpush = interfacesWaku2Lightpush as Capability<WakuLightpushServer>
/** `@parley/interfaces`' `waku2LightpushClient`, typed as this package's client. */
export const waku2LightpushClient = interfacesWaku2LightpushClient as Capability<WakuLightpushClient>

/**
 * The lightpush service: `protocols: [wakuRelay(), wakuLightpush()]`. Needs `libp2pHost` and
 * `waku2Relay` (it publishes through the relay); bad options throw `InvalidConfigError` here.
 */
export function wakuLightpush(init: WakuLightpushInit = {}): Plugin<WakuLightpushServer> {
  const settings = lightpushServerSettings(init)
  return {
    name: 'protocol-waku2-lightpush',
    provides: [waku2Lightpush],
    needs: [libp2pHost, waku2Relay],
    create(components: Components): WakuLightpushServer {
      return new WakuLightpushServer(
        {
          host: components.get(libp2pHost),
          relay: components.get(waku2Relay),
          logger: components.logger.forComponent('waku2-lightpush'),
          metrics: lightpushServerMetrics(components.metrics),
        },
        settings,
      )
    },
  }
}

/** The lightpush client: `protocols: [wakuLightpushClient()]`; needs only `libp2pHost`. */
export function wakuLightpushClient(): Plugin<WakuLightpushClient> {
  return {
    name: 'protocol-waku2-lightpush-client',
    provides: [waku2LightpushClient],
    needs: [libp2pHost],
    create(components: Components): WakuLightpushClient {
      return new WakuLightpushClient({
        host: components.get(libp2pHost),
        metrics: lightpushClientMetrics(components.metrics),
      })
    },
  }
}
