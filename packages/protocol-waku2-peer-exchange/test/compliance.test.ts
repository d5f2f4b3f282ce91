import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { type Libp2pHost, libp2pHost } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import {
  type WakuMetadataService,
  type WakuPeerExchange,
  wakuMetadata,
  wakuPeerExchange,
} from '../src/index.ts'
import { secp } from './fixtures.ts'

// The descriptor checks never start the host.
const idleHost = {} as Libp2pHost
pluginSuite('waku2 peer exchange', () => wakuPeerExchange({ secp }), { services: [[libp2pHost, idleHost]] })
pluginSuite('waku2 metadata', () => wakuMetadata({ clusterId: 1 }), { services: [[libp2pHost, idleHost]] })

const hosts = new Map<object, Libp2pHostService>()
async function onHost<T extends object>(create: (host: Libp2pHostService) => T): Promise<T> {
  const host = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(fakeComponents())
  await host.start()
  const service = create(host)
  hosts.set(service, host)
  return service
}
async function teardown(service: { stop(): Promise<void> }): Promise<void> {
  await service.stop()
  await hosts.get(service)?.stop()
  hosts.delete(service)
}

lifecycleSuite<WakuPeerExchange>('waku2 peer exchange', {
  setup: () =>
    onHost((host) =>
      wakuPeerExchange({ secp, queryIntervalMs: 50 }).create(
        fakeComponents({ services: [[libp2pHost, host]] }),
      ),
    ),
  teardown,
})

lifecycleSuite<WakuMetadataService>('waku2 metadata', {
  setup: () =>
    onHost((host) =>
      wakuMetadata({ clusterId: 1 }).create(fakeComponents({ services: [[libp2pHost, host]] })),
    ),
  teardown,
})
