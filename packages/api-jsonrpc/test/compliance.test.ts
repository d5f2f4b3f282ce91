import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import {
  type Capability,
  devp2pHost,
  historyClient,
  InvalidConfigError,
  MissingCapabilityError,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type JsonRpcServer, jsonRpc } from '../src/index.ts'

/** The method names of each privacy namespace, after `shh_` or `waku_`. */
const SHH_METHODS = [
  'version',
  'info',
  'setMaxMessageSize',
  'setMinPoW',
  'setBloomFilter',
  'markTrustedPeer',
  'newKeyPair',
  'addPrivateKey',
  'deleteKeyPair',
  'hasKeyPair',
  'getPublicKey',
  'getPrivateKey',
  'newSymKey',
  'addSymKey',
  'generateSymKeyFromPassword',
  'hasSymKey',
  'getSymKey',
  'deleteSymKey',
  'post',
  'newMessageFilter',
  'getFilterMessages',
  'deleteMessageFilter',
  'subscribe',
  'unsubscribe',
]

pluginSuite('api-jsonrpc', () => jsonRpc({ port: 0 }))
lifecycleSuite<JsonRpcServer>('api-jsonrpc', {
  setup: async () => jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [whisperProtocol] })),
  teardown: async (service) => service.stop(),
})
lifecycleSuite<JsonRpcServer>('api-jsonrpc with WebSocket', {
  setup: async () =>
    jsonRpc({ port: 0, wsPort: 0 }).create(fakeComponents({ stubs: [whisperProtocol, waku1Protocol] })),
  teardown: async (service) => service.stop(),
})

describe('api-jsonrpc plugin', () => {
  it('needs nothing and wants Whisper, Waku v1, the devp2p host and the history client', () => {
    const plugin = jsonRpc()
    expect(plugin.name).toBe('api-jsonrpc')
    expect(plugin.needs ?? []).toEqual([])
    expect(plugin.wants).toEqual([whisperProtocol, waku1Protocol, devp2pHost, historyClient])
  })

  it('serves a namespace for each service the node has', () => {
    const shh = SHH_METHODS.map((name) => `shh_${name}`)
    const waku = SHH_METHODS.map((name) => `waku_${name}`)
    const admin = ['admin_addPeer', 'admin_removePeer', 'admin_peers', 'admin_nodeInfo']
    const served = (stubs: Capability[]) => jsonRpc().create(fakeComponents({ stubs })).methods().sort()
    expect(served([whisperProtocol])).toEqual([...shh, 'rpc_modules'].sort())
    expect(served([waku1Protocol, devp2pHost])).toEqual([...waku, ...admin, 'rpc_modules'].sort())
    expect(served([whisperProtocol, waku1Protocol, devp2pHost])).toEqual(
      [...shh, ...waku, ...admin, 'rpc_modules'].sort(),
    )
  })

  it('refuses to start without Whisper or Waku v1, with a typed error', async () => {
    const service = jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [devp2pHost] }))
    const failure = service.start()
    await expect(failure).rejects.toBeInstanceOf(MissingCapabilityError)
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_MISSING_CAPABILITY',
      capability: 'whisper or waku1',
    })
    expect(service.isStarted()).toBe(false)
  })

  it('refuses options that can never work with InvalidConfigError', () => {
    for (const init of [
      { port: 70000 },
      { wsPort: -1 },
      { wsPort: 1.5 },
      { maxBodyBytes: 0 },
      { path: 'rpc' },
      { cors: [''] },
    ])
      expect(() => jsonRpc(init), JSON.stringify(init)).toThrow(InvalidConfigError)
    expect(() => jsonRpc({ port: 0, wsPort: 8546, cors: ['*'] })).not.toThrow()
  })

  it('answers rpc_modules with the namespaces served', async () => {
    const service = jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [waku1Protocol, devp2pHost] }))
    const response = await service.handle('{"jsonrpc":"2.0","id":1,"method":"rpc_modules"}')
    expect(JSON.parse(response!).result).toEqual({ waku: '1.0', admin: '1.0' })
  })

  it('forgets its keys on stop and serves in-process through handle()', async () => {
    const service = jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [whisperProtocol] }))
    await service.start()
    const created = JSON.parse((await service.handle('{"jsonrpc":"2.0","id":1,"method":"shh_newSymKey"}'))!)
    const has = `{"jsonrpc":"2.0","id":2,"method":"shh_hasSymKey","params":["${created.result}"]}`
    expect(JSON.parse((await service.handle(has))!).result).toBe(true)
    await service.stop()
    expect(service.url()).toBeUndefined()
    await service.start()
    expect(JSON.parse((await service.handle(has))!).result).toBe(false)
    await service.stop()
  })

  it('reports a taken port as JsonRpcServerError', async () => {
    const first = jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [whisperProtocol] }))
    await first.start()
    const second = jsonRpc({ port: first.address()!.port }).create(
      fakeComponents({ stubs: [whisperProtocol] }),
    )
    await expect(second.start()).rejects.toMatchObject({ code: 'ERR_JSON_RPC_SERVER' })
    expect(second.isStarted()).toBe(false)
    await first.stop()
  })
})
