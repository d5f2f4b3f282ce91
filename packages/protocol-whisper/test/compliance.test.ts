import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { devp2pHost, InvalidConfigError, privacyProtocol, whisperProtocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Whisper, whisper, whisperSettings } from '../src/index.ts'

pluginSuite('whisper', () => whisper())
lifecycleSuite<Whisper>('whisper', {
  setup: async () => whisper({ minPow: 0.002 }).create(fakeComponents({ stubs: [devp2pHost] })),
  teardown: async (service) => service.stop(),
})

describe('whisper plugin descriptor and options', () => {
  it('needs the devp2p host and provides both protocol capabilities', () => {
    const plugin = whisper()
    expect(plugin.name).toBe('protocol-whisper')
    expect(plugin.needs).toEqual([devp2pHost])
    expect(plugin.provides).toEqual([whisperProtocol, privacyProtocol])
  })

  it('registers shh/6 with 128 codes on the host when created', () => {
    const registered: Array<{ name: string; version: number; length: number }> = []
    const host = {
      registerCapability: (capability: (typeof registered)[number]) => registered.push(capability),
    }
    whisper().create(fakeComponents({ services: [[devp2pHost, host]] }))
    expect(registered.map(({ name, version, length }) => ({ name, version, length }))).toEqual([
      { name: 'shh', version: 6, length: 128 },
    ])
  })

  it("fills go-ethereum's defaults", () => {
    const settings = whisperSettings()
    expect(settings.minPow).toBe(0.2)
    expect(settings.maxMessageSize).toBe(1024 * 1024)
    expect(settings.ttl).toBe(50)
    expect(settings.syncAllowance).toBe(10)
    expect(settings.lightNode).toBe(false)
    expect(settings.bloom.every((byte) => byte === 0xff)).toBe(true)
  })

  it('rejects bad options where they are written', () => {
    for (const init of [
      { minPow: -1 },
      { minPow: Number.NaN },
      { bloom: new Uint8Array(63) },
      { ttl: 0 },
      { dedupCacheSize: 1.5 },
      { syncAllowance: -1 },
    ]) {
      expect(() => whisper(init), JSON.stringify(init)).toThrow(InvalidConfigError)
    }
  })

  it('refuses to post before start', async () => {
    const service = whisper().create(fakeComponents({ stubs: [devp2pHost] }))
    await expect(service.post({ topic: '0x01020304', payload: new Uint8Array(1) })).rejects.toMatchObject({
      code: 'ERR_NOT_STARTED',
    })
  })
})
