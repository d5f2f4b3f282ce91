import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { type Discv5Discovery, discv5 } from '../src/index.ts'

pluginSuite('discv5', () => discv5({ host: '127.0.0.1', port: 0 }))

lifecycleSuite<Discv5Discovery>('discv5', {
  setup: async () =>
    discv5({ host: '127.0.0.1', port: 0, lookupIntervalMs: 100, requestTimeoutMs: 200 }).create(
      fakeComponents(),
    ),
  teardown: async (discovery) => discovery.stop(),
})
