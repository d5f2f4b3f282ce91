import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { InvalidConfigError, keyValueStore, nodeIdentity } from '@parley/interfaces'
import { StatusSecureTransport, secureTransport } from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'
import { secp } from './helpers.ts'

const identityKey = generatePrivateKey()

pluginSuite('secureTransport', () => secureTransport({ identityKey }), {
  services: [[keyValueStore, new MemoryKeyValueStore()]],
})

lifecycleSuite('StatusSecureTransport', {
  setup: async () =>
    new StatusSecureTransport({ store: new MemoryKeyValueStore(), identityKey, secp: await secp() }),
  teardown: async (transport) => transport.stop(),
})

describe('secureTransport plugin', () => {
  it('needs a key-value store, and the node identity unless given a key', () => {
    expect(secureTransport({ identityKey }).needs).toEqual([keyValueStore])
    expect(secureTransport().needs).toEqual([keyValueStore, nodeIdentity])
    expect(() => secureTransport({ identityKey: new Uint8Array(31) })).toThrow(InvalidConfigError)
    expect(() => secureTransport({ installationId: '' })).toThrow(InvalidConfigError)
  })

  it("uses the node identity's key and counts rejections in the node's metrics", async () => {
    const s = await secp()
    const privateKey = generatePrivateKey()
    const publicKey = s.getPublicKey(privateKey, false)
    const components = fakeComponents({
      services: [
        [keyValueStore, new MemoryKeyValueStore()],
        [nodeIdentity, { privateKey, publicKey, nodeId: '' }],
      ],
    })
    const service = secureTransport({ installationId: 'desktop' }).create(components)
    expect(service).toBeInstanceOf(StatusSecureTransport)
    await service.start()
    expect(service.identity).toEqual(s.convertPublicKey(publicKey, true))
    expect(service.installationId).toBe('desktop')
    await expect(service.decrypt(publicKey, Uint8Array.of(0xff))).rejects.toThrow()
    expect(components.recorded.get('parley_secure_transport_rejected_total{reason="malformed"}')).toBe(1)
    await service.stop()
  })
})
