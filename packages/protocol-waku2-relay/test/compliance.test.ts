import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { libp2pHost } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { type WakuRelay, wakuRelay } from '../src/index.ts'
import { LOOPBACK } from './fixtures.ts'

pluginSuite('waku2 relay', () => wakuRelay())

const hosts = new Map<WakuRelay, Libp2pHostService>()
lifecycleSuite<WakuRelay>('waku2 relay', {
  // The relay runs on a started host; the suite starts and stops only the relay.
  setup: async () => {
    const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
    const relay = wakuRelay().create(fakeComponents({ services: [[libp2pHost, host]] }))
    await host.start()
    hosts.set(relay, host)
    return relay
  },
  teardown: async (relay) => {
    await relay.stop()
    await hosts.get(relay)?.stop()
    hosts.delete(relay)
  },
})
