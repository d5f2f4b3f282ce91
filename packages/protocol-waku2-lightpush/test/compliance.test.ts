import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { InvalidConfigError, libp2pHost, waku2Relay } from '@parley/interfaces'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import {
  type WakuLightpushClient,
  type WakuLightpushServer,
  wakuLightpush,
  wakuLightpushClient,
} from '../src/index.ts'

/** Stand-ins with the members `create` checks for; nothing is called before start. */
const host = { handle: async () => {}, unhandle: async () => {} }
const relay = { publishMessage: async () => ({}), pubsubTopics: () => [] }
const services = [
  [libp2pHost, host],
  [waku2Relay, relay],
] as const

pluginSuite('waku2 lightpush', () => wakuLightpush(), { services })
pluginSuite('waku2 lightpush client', () => wakuLightpushClient(), { services })

describe('lightpush plugins refuse what cannot work', () => {
  it('throw InvalidConfigError for bad options', () => {
    expect(() => wakuLightpush({ maxConcurrentRequests: 0 })).toThrow(InvalidConfigError)
    expect(() => wakuLightpush({ maxTimestampDrift: -1 })).toThrow(InvalidConfigError)
    expect(() => wakuLightpush({ autosharding: { clusterId: 1, shardCount: 0 } })).toThrow(InvalidConfigError)
  })
})

const teardowns = new Map<object, () => Promise<void>>()

lifecycleSuite<WakuLightpushServer>('waku2 lightpush', {
  setup: async () => {
    const libp2pService: Libp2pHostService = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(
      fakeComponents(),
    )
    const wakuRelayService = wakuRelay().create(fakeComponents({ services: [[libp2pHost, libp2pService]] }))
    await libp2pService.start()
    await wakuRelayService.start()
    const server = wakuLightpush().create(
      fakeComponents({
        services: [
          [libp2pHost, libp2pService],
          [waku2Relay, wakuRelayService],
        ],
      }),
    )
    teardowns.set(server, async () => {
      await wakuRelayService.stop()
      await libp2pService.stop()
    })
    return server
  },
  teardown: async (server) => {
    await server.stop()
    await teardowns.get(server)?.()
  },
})

lifecycleSuite<WakuLightpushClient>('waku2 lightpush client', {
  setup: async () => wakuLightpushClient().create(fakeComponents({ services: [[libp2pHost, host]] })),
  teardown: async (client) => client.stop(),
})
