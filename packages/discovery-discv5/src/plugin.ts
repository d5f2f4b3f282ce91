/** The `discv5(init)` plugin factory. */
import { type Components, libp2pHost, nodeIdentity, type Plugin, peerDiscovery } from '@parley/interfaces'
import { Discv5Discovery } from './discovery.ts'
import { discv5Metrics } from './metrics.ts'
import { type Discv5Init, discv5Options } from './options.ts'

/**
 * The discv5 plugin; provides `peerDiscovery`, uses the `nodeIdentity` key and, for a Waku record,
 * the libp2p host's addresses when present. Bad init throws `InvalidConfigError`.
 */
export function discv5(init: Discv5Init = {}): Plugin<Discv5Discovery> {
  discv5Options(init)
  return {
    name: 'discovery-discv5',
    provides: [peerDiscovery],
    wants: [nodeIdentity, libp2pHost],
    create: (components: Components) =>
      new Discv5Discovery(init, {
        logger: components.logger.forComponent('discovery-discv5'),
        events: components.events,
        identity: components.has(nodeIdentity) ? components.get(nodeIdentity) : undefined,
        libp2p: components.has(libp2pHost) ? components.get(libp2pHost) : undefined,
        metrics: discv5Metrics(components.metrics),
      }),
  }
}
