import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { libp2pHost } from '@parley/interfaces'
import { libp2p } from '@parley/transport-libp2p'
import { rendezvousDiscovery, rendezvousServer } from '../src/index.ts'
import { LOOPBACK } from './helpers.ts'

const SERVER = '/ip4/127.0.0.1/tcp/1/p2p/16Uiu2HAmAbc'

pluginSuite('rendezvousServer', () => rendezvousServer())
pluginSuite('rendezvousDiscovery', () => rendezvousDiscovery({ servers: [SERVER] }))

/** A real libp2p host, started and stopped with the service under test. */
function withHost() {
  const host = libp2p({ listen: LOOPBACK, privateKey: generatePrivateKey() }).create(fakeComponents())
  return { host, components: fakeComponents({ services: [[libp2pHost, host]] }) }
}

lifecycleSuite('rendezvousServer', {
  setup: async () => {
    const { host, components } = withHost()
    await host.start()
    const server = rendezvousServer().create(components)
    return Object.assign(server, { host })
  },
  teardown: async (server) => {
    await server.stop()
    await server.host.stop()
  },
})

lifecycleSuite('rendezvousDiscovery', {
  setup: async () =>
    rendezvousDiscovery({ servers: [SERVER], discoverIntervalMs: 1000 }).create(withHost().components),
  teardown: async (client) => client.stop(),
})
