import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { devp2pHost, InvalidConfigError, privacyProtocol, waku1Protocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Waku1, waku1, waku1Settings } from '../src/index.ts'

pluginSuite('waku1', () => waku1())
lifecycleSuite<Waku1>('waku1', {
  setup: async () => waku1().create(fakeComponents({ stubs: [devp2pHost] })),
  teardown: async (service) => service.stop(),
})

describe('waku1 plugin descriptor and options', () => {
  it('needs the devp2p host and provides both protocol capabilities', () => {
    const plugin = waku1()
    expect(plugin.name).toBe('protocol-waku1')
    expect(plugin.needs).toEqual([devp2pHost])
    expect(plugin.provides).toEqual([waku1Protocol, privacyProtocol])
  })

  it('registers waku/1 with 128 codes on the host when created', () => {
    const registered: Array<{ name: string; version: number; length: number }> = []
    const host = {
      registerCapability: (capability: (typeof registered)[number]) => registered.push(capability),
    }
    waku1().create(fakeComponents({ services: [[devp2pHost, host]] }))
    expect(registered.map(({ name, version, length }) => ({ name, version, length }))).toEqual([
      { name: 'waku', version: 1, length: 128 },
    ])
  })

  it("fills Status clients' defaults", () => {
    const settings = waku1Settings()
    expect(settings.minPow).toBe(0.002)
    expect(settings.maxMessageSize).toBe(1024 * 1024)
    expect(settings.syncAllowance).toBe(10)
    expect(settings.lightNode).toBe(false)
    expect(settings.topicInterest).toBeUndefined()
    expect(settings.bloom.every((byte) => byte === 0xff)).toBe(true)
  })

  it('derives the bloom from a topic interest', () => {
    const settings = waku1Settings({ topicInterest: ['0x01020304'] })
    expect(settings.topicInterest).toEqual([Uint8Array.of(1, 2, 3, 4)])
    expect(settings.bloom.some((byte) => byte !== 0)).toBe(true)
    expect(settings.bloom.some((byte) => byte !== 0xff)).toBe(true)
  })

  it('rejects bad options where they are written', () => {
    for (const init of [
      { minPow: -1 },
      { bloom: new Uint8Array(63) },
      { ttl: 0 },
      { topicInterest: ['0x0102'] },
      { topicInterest: [new Uint8Array(5)] },
      { topicInterest: Array.from({ length: 10_001 }, () => '0x01020304') },
      { topicInterest: ['0x01020304'], bloom: new Uint8Array(64) },
    ]) {
      expect(() => waku1(init), JSON.stringify(init).slice(0, 80)).toThrow(InvalidConfigError)
    }
  })

  it('refuses to post before start and checks setTopicInterest input', async () => {
    const service = waku1().create(fakeComponents({ stubs: [devp2pHost] }))
    await expect(service.post({ topic: '0x01020304', payload: new Uint8Array(1) })).rejects.toMatchObject({
      code: 'ERR_NOT_STARTED',
    })
    await expect(service.setTopicInterest(['nope'])).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
  })
})
