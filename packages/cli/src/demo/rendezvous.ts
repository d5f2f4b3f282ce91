/** Discovery check: Whisper relays register at a rendezvous server and a mobile node finds them. */
import { createNode } from '@parley/core'
import { type RendezvousDiscovery, rendezvousDiscovery } from '@parley/discovery-rendezvous'
import { devp2pHost, peerDiscovery } from '@parley/interfaces'
import { libp2p } from '@parley/transport-libp2p'
import { type DemoCheck, expectThat } from './check.ts'
import { withNodes } from './devp2p-nodes.ts'
import {
  LIBP2P_LOOPBACK,
  registeringRelay,
  registrations,
  rendezvousServerNode,
  serverAddresses,
} from './rendezvous-nodes.ts'

const RELAYS = 2

export const rendezvousChecks: readonly DemoCheck[] = [
  {
    name: 'discovery.rendezvous',
    async run(context, signal) {
      const server = rendezvousServerNode(context, 'demo-rendezvous')
      return withNodes([server], signal, async () => {
        const servers = serverAddresses(server)
        const relays = await Promise.all(
          Array.from({ length: RELAYS }, (_, index) =>
            registeringRelay(context, `demo-rendezvous-relay-${index + 1}`, servers, signal),
          ),
        )
        const registered = registrations(server, RELAYS, signal)
        registered.catch(() => undefined) // awaited below; this only keeps an abort from going unhandled
        return withNodes(relays, signal, async () => {
          await registered
          const mobile = createNode({
            name: 'demo-rendezvous-mobile',
            transports: [libp2p({ listen: LIBP2P_LOOPBACK })],
            discovery: [rendezvousDiscovery({ servers, topics: ['whisper'] })],
            logger: context.logger,
          })
          return withNodes([mobile], signal, async () => {
            const found = await mobile.get(peerDiscovery).findPeers(10, { signal })
            const enodes = new Set(found.map((peer) => peer.enode))
            const missing = relays.filter((relay) => !enodes.has(relay.get(devp2pHost).enode))
            expectThat(missing.length === 0, `${missing.length} registered relays were not found`)
            expectThat(
              found.every((peer) => peer.capabilities?.includes('whisper') === true),
              'a found peer lacks its topic',
            )
            const source = (mobile.get(peerDiscovery) as RendezvousDiscovery).source
            return `${RELAYS} Whisper relays registered signed records; the mobile node found both via ${source} (/rend/0.1.0)`
          })
        })
      })
    },
  },
]
