import {
  type Components,
  capability,
  InvalidConfigError,
  libp2pHost,
  type Plugin,
  waku2Relay,
} from '@parley/interfaces'
import { WakuLightpushClient } from './client.ts'
import { serviceHost } from './host.ts'
import { lightpushClientMetrics, lightpushServerMetrics } from './metrics.ts'
import { lightpushServerSettings, type WakuLightpushInit } from './options.ts'
import type { LightpushRelay } from './publish.ts'
import { WakuLightpushServer } from './server.ts'

/** The 19/WAKU2-LIGHTPUSH service of a node: `node.get(waku2Lightpush)`. */
export const waku2Lightpush = capability<WakuLightpushServer>('waku2-lightpush')
/** The lightpush client of a node: `node.get(waku2LightpushClient).lightpush(peer, message)`. */
export const waku2LightpushClient = capability<WakuLightpushClient>('waku2-lightpush-client')

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
      const relay = components.get(waku2Relay)
      if (!('router' in relay) || !('pubsubTopics' in relay))
        throw new InvalidConfigError(
          'waku2 lightpush needs the gossipsub relay of @parley/protocol-waku2-relay',
        )
      return new WakuLightpushServer(
        {
          host: serviceHost(components.get(libp2pHost), 'waku2 lightpush'),
          relay: relay as unknown as LightpushRelay,
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
        host: serviceHost(components.get(libp2pHost), 'waku2 lightpush client'),
        metrics: lightpushClientMetrics(components.metrics),
      })
    },
  }
}
