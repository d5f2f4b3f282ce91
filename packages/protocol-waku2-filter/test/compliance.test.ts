import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { InvalidConfigError, libp2pHost, waku2Relay } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import { serviceOnRelay } from '../../protocol-waku2-relay/test/fixtures.ts'
import { type WakuFilterClient, type WakuFilterServer, wakuFilter, wakuFilterClient } from '../src/index.ts'

/** Stand-ins with the members `create` checks for; nothing is called before start. */
const host = { handle: async () => {}, unhandle: async () => {} }
const relay = new EventTarget()
const services = [
  [libp2pHost, host],
  [waku2Relay, relay],
] as const

pluginSuite('waku2 filter', () => wakuFilter(), { services })
pluginSuite('waku2 filter client', () => wakuFilterClient(), { services })

describe('filter plugins refuse what cannot work', () => {
  it('throw InvalidConfigError for bad options', () => {
    expect(() => wakuFilter({ maxPeers: 0 })).toThrow(InvalidConfigError)
    expect(() => wakuFilter({ rateLimit: { requests: -1, periodMs: 1 } })).toThrow(InvalidConfigError)
    expect(() => wakuFilterClient({ keepAliveMs: -1 })).toThrow(InvalidConfigError)
  })
})

const LOOPBACK = ['/ip4/127.0.0.1/tcp/0']
const teardowns = new Map<object, () => Promise<void>>()

lifecycleSuite<WakuFilterServer>(
  'waku2 filter',
  serviceOnRelay((components) => wakuFilter().create(components)),
)

lifecycleSuite<WakuFilterClient>('waku2 filter client', {
  setup: async () => {
    const libp2pService: Libp2pHostService = libp2p({ listen: LOOPBACK }).create(fakeComponents())
    await libp2pService.start()
    const client = wakuFilterClient().create(fakeComponents({ services: [[libp2pHost, libp2pService]] }))
    teardowns.set(client, () => libp2pService.stop())
    return client
  },
  teardown: async (client) => {
    await client.stop()
    await teardowns.get(client)?.()
  },
})
