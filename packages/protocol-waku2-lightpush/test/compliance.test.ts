import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { InvalidConfigError, libp2pHost, waku2Relay } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { serviceOnRelay } from '../../protocol-waku2-relay/test/fixtures.ts'
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

lifecycleSuite<WakuLightpushServer>(
  'waku2 lightpush',
  serviceOnRelay((components) => wakuLightpush().create(components)),
)

lifecycleSuite<WakuLightpushClient>('waku2 lightpush client', {
  setup: async () => wakuLightpushClient().create(fakeComponents({ services: [[libp2pHost, host]] })),
  teardown: async (client) => client.stop(),
})
