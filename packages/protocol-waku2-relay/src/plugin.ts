import {
  type Components,
  InvalidConfigError,
  type Libp2pHost,
  libp2pHost,
  type Plugin,
  privacyProtocol,
  waku2Relay,
} from '@parley/interfaces'
import { relayMetrics } from './metrics.ts'
import { relaySettings, type WakuRelayInit } from './options.ts'
import { type RelayHost, WakuRelay } from './relay.ts'

/**
 * The Waku v2 relay plugin: `createNode({ transports: [libp2p()], protocols: [wakuRelay()] })`.
 * Needs `libp2pHost` (transport-libp2p's, which lets it add gossipsub before the host starts);
 * provides `waku2Relay` and `privacyProtocol`. Bad options throw `InvalidConfigError` here.
 */
export function wakuRelay(init: WakuRelayInit = {}): Plugin<WakuRelay> {
  const settings = relaySettings(init)
  return {
    name: 'protocol-waku2-relay',
    provides: [waku2Relay, privacyProtocol],
    needs: [libp2pHost],
    create(components: Components): WakuRelay {
      const host = components.get(libp2pHost)
      if (!isRelayHost(host))
        throw new InvalidConfigError(
          'waku2 relay needs a libp2p host that accepts services (transport-libp2p)',
        )
      return new WakuRelay(
        {
          host,
          logger: components.logger.forComponent('waku2-relay'),
          metrics: relayMetrics(components.metrics),
          events: components.events,
        },
        settings,
        init.gossipsub === undefined ? {} : { gossipsub: init.gossipsub },
      )
    },
  }
}

function isRelayHost(host: Libp2pHost): host is Libp2pHost & RelayHost {
  return typeof (host as Partial<RelayHost>).addService === 'function'
}
