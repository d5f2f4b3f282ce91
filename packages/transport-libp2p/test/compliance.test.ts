import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { nodeIdentity } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Libp2pHostService, libp2p, peerIdFromSecp256k1 } from '../src/index.ts'

const listen = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']

pluginSuite('libp2p', () => libp2p({ listen }))
lifecycleSuite<Libp2pHostService>('libp2p host', {
  setup: async () => libp2p({ listen }).create(fakeComponents()),
  teardown: async (service) => service.stop(),
})

describe('libp2p plugin options', () => {
  it('takes the node identity when no key is given; else keeps a generated one across restarts', async () => {
    const privateKey = generatePrivateKey()
    const identity = { privateKey, publicKey: new Uint8Array(65), nodeId: 'unused' }
    const withIdentity = libp2p({ listen }).create(fakeComponents({ services: [[nodeIdentity, identity]] }))
    expect(() => withIdentity.peerId).toThrow(expect.objectContaining({ name: 'NotStartedError' }))
    await withIdentity.start()
    expect(withIdentity.peerId).toBe(peerIdFromSecp256k1(privateKey))
    await withIdentity.stop()

    const generated = libp2p({ listen }).create(fakeComponents())
    await generated.start()
    const first = generated.peerId
    await generated.stop()
    await generated.start()
    expect(generated.peerId).toBe(first)
    expect(first).not.toBe(peerIdFromSecp256k1(privateKey))
    await generated.stop()
  })

  it('stops the node again when the signal aborts while libp2p is starting', async () => {
    const service = libp2p({ listen }).create(fakeComponents())
    const controller = new AbortController()
    const starting = service.start({ signal: controller.signal })
    controller.abort()
    await expect(starting).rejects.toMatchObject({ name: 'AbortError' })
    expect(service.isStarted()).toBe(false)
    expect(() => service.node).toThrow(expect.objectContaining({ name: 'NotStartedError' }))
    await service.start()
    expect(service.isStarted()).toBe(true)
    await service.stop()
  })

  it('rejects bad options where they are written', () => {
    const invalid = expect.objectContaining({ name: 'InvalidConfigError' })
    expect(() => libp2p({ privateKey: new Uint8Array(31) })).toThrow(invalid)
    expect(() => libp2p({ maxConnections: 0 })).toThrow(invalid)
    expect(() => libp2p({ listen: ['not-a-multiaddr'] })).toThrow(invalid)
    expect(() => libp2p({ muxers: [] })).toThrow(invalid)
  })

  it('releases everything when start fails on a taken port, and reports why', async () => {
    const first = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(fakeComponents())
    await first.start()
    const taken = first.multiaddrs()[0]?.split('/p2p/')[0]
    if (taken === undefined) throw new Error('first host has no address')
    const second = libp2p({ listen: [taken] }).create(fakeComponents())
    await expect(second.start()).rejects.toThrow()
    expect(second.isStarted()).toBe(false)
    await first.stop()
    await second.start()
    expect(second.multiaddrs()[0]).toContain(taken)
    await second.stop()
  })
})
