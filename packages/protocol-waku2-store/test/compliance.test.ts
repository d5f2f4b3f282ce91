import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { libp2pHost, messageArchive } from '@parley/interfaces'
import { MemoryMessageArchive } from '@parley/store-memory'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { type WakuStore, wakuStore } from '../src/index.ts'

pluginSuite('waku2 store', () => wakuStore())
pluginSuite('waku2 store client', () => wakuStore({ serve: false }))

const hosts = new Map<WakuStore, Libp2pHostService>()
lifecycleSuite<WakuStore>('waku2 store', {
  // The store runs on a started host and archive; the suite starts and stops only the store, whose
  // retention policy gives it a background timer to release.
  setup: async () => {
    const host = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(fakeComponents())
    const archive = new MemoryMessageArchive()
    const store = wakuStore({ retention: { maxMessages: 10 } }).create(
      fakeComponents({
        services: [
          [libp2pHost, host],
          [messageArchive, archive],
        ],
      }),
    )
    await host.start()
    await archive.start()
    hosts.set(store, host)
    return store
  },
  teardown: async (store) => {
    await store.stop()
    await hosts.get(store)?.stop()
    hosts.delete(store)
  },
})
