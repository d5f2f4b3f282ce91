import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { nodeIdentity } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type Devp2pHostService, devp2p } from '../src/index.ts'

pluginSuite('devp2p', () => devp2p({ port: 0 }))
lifecycleSuite<Devp2pHostService>('devp2p host', {
  setup: async () => devp2p({ port: 0 }).create(fakeComponents()),
  teardown: async (service) => service.stop(),
})

describe('devp2p plugin options', () => {
  it('takes the node identity when no key is given, and keeps its id across restarts', async () => {
    const privateKey = generatePrivateKey()
    const identity = { privateKey, publicKey: new Uint8Array(65), nodeId: 'unused' }
    const service = devp2p({ port: 0 }).create(fakeComponents({ services: [[nodeIdentity, identity]] }))
    expect(() => service.nodeId).toThrow(expect.objectContaining({ name: 'NotStartedError' }))
    await service.start()
    const first = service.nodeId
    const enode = service.enode
    expect(enode).toMatch(new RegExp(`^enode://${first}@127\\.0\\.0\\.1:\\d+$`))
    await service.stop()
    await service.start()
    expect(service.nodeId).toBe(first)
    await service.stop()

    const explicit = devp2p({ port: 0, privateKey }).create(fakeComponents())
    await explicit.start()
    expect(explicit.nodeId).toBe(first)
    await explicit.stop()
  })

  it('rejects bad options where they are written', () => {
    expect(() => devp2p({ port: 70000 })).toThrow(expect.objectContaining({ name: 'InvalidConfigError' }))
    expect(() => devp2p({ maxPeers: 1.5 })).toThrow(expect.objectContaining({ name: 'InvalidConfigError' }))
    expect(() => devp2p({ staticPeers: ['enode://nope'] })).toThrow(
      expect.objectContaining({ name: 'InvalidConfigError' }),
    )
    expect(() => devp2p({ privateKey: new Uint8Array(31) })).toThrow(
      expect.objectContaining({ name: 'InvalidConfigError' }),
    )
  })

  it('releases the port when start fails, and reports why', async () => {
    const first = devp2p({ port: 0 }).create(fakeComponents())
    await first.start()
    const port = Number(first.enode?.split(':').pop())
    const second = devp2p({ port }).create(fakeComponents())
    await expect(second.start()).rejects.toMatchObject({ name: 'ListenError' })
    expect(second.isStarted()).toBe(false)
    await first.stop()
    await second.start()
    expect(second.enode?.endsWith(`:${port}`)).toBe(true)
    await second.stop()
  })
})
