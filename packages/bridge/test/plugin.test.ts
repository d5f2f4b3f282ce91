/** The plugin descriptor, the service lifecycle and the options. */
import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { InvalidConfigError, waku1Protocol, waku2Relay, whisperProtocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Bridge, type BridgeInit, bridge, bridgeSettings } from '../src/index.ts'
import { FakeRelay, FakeV1 } from './fakes.ts'

const services = () =>
  [
    [whisperProtocol, new FakeV1().asProtocol()],
    [waku2Relay, new FakeRelay()],
  ] as const

pluginSuite('bridge', () => bridge(), { services: services() })

lifecycleSuite<Bridge>('bridge', {
  setup: async () => bridge().create(fakeComponents({ services: services() })),
  teardown: async (service) => service.stop(),
})

describe('bridge plugin', () => {
  it('joins the protocols the node runs, or those named in sides', () => {
    const all = fakeComponents({ services: [...services(), [waku1Protocol, new FakeV1().asProtocol()]] })
    expect(bridge().create(all).sides()).toEqual(['whisper', 'waku1', 'waku2'])
    expect(
      bridge({ sides: ['waku1', 'waku2'] })
        .create(all)
        .sides(),
    ).toEqual(['waku1', 'waku2'])
  })

  it('refuses a node with fewer than two of the protocols, or without a side it was asked for', () => {
    const one = fakeComponents({ services: [[whisperProtocol, new FakeV1().asProtocol()]] })
    expect(() => bridge().create(one)).toThrow(InvalidConfigError)
    expect(() =>
      bridge({ sides: ['whisper', 'waku1'] }).create(fakeComponents({ services: services() })),
    ).toThrow(/no waku1/)
    const notARelay = fakeComponents({ services: [services()[0], [waku2Relay, { post: () => undefined }]] })
    expect(() => bridge().create(notARelay)).toThrow(InvalidConfigError)
  })

  it('refuses bad options', () => {
    const bad: BridgeInit[] = [
      { sides: ['whisper'] as const },
      { minPow: -1 },
      { maxPayloadSize: 0 },
      { v1Ttl: 1.5 },
      { rateLimit: { messagesPerSecond: 0 } },
      { rateLimit: { messagesPerSecond: 1, burst: 0 } },
      { topics: ['0x1234'] },
      { sides: ['whisper', 'mars' as 'waku1'] },
    ]
    for (const init of bad)
      expect(() => bridgeSettings(init), JSON.stringify(init)).toThrow(InvalidConfigError)
    expect(bridgeSettings({ topics: ['0xABCDEF01'] }).topics).toEqual(new Set(['0xabcdef01']))
    expect(bridgeSettings({ rateLimit: false }).rateLimit).toBeUndefined()
  })
})
