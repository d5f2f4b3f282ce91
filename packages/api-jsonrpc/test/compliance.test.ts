import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { whisperProtocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type JsonRpcServer, jsonRpc } from '../src/index.ts'

pluginSuite('api-jsonrpc', () => jsonRpc({ port: 0 }))
lifecycleSuite<JsonRpcServer>('api-jsonrpc', {
  setup: async () => jsonRpc({ port: 0 }).create(fakeComponents({ stubs: [whisperProtocol] })),
  teardown: async (service) => service.stop(),
})

describe('api-jsonrpc plugin', () => {
  it('needs the whisper capability and serves every shh_* method of the brief', () => {
    const plugin = jsonRpc()
    expect(plugin.name).toBe('api-jsonrpc')
    expect(plugin.needs).toEqual([whisperProtocol])
    const service = plugin.create(fakeComponents({ stubs: [whisperProtocol] }))
    expect(service.methods().sort()).toEqual(
      [
        'shh_version',
        'shh_info',
        'shh_setMaxMessageSize',
        'shh_setMinPoW',
        'shh_setBloomFilter',
        'shh_newKeyPair',
        'shh_addPrivateKey',
        'shh_deleteKeyPair',
        'shh_hasKeyPair',
        'shh_getPublicKey',
        'shh_getPrivateKey',
        'shh_newSymKey',
        'shh_addSymKey',
        'shh_generateSymKeyFromPassword',
        'shh_hasSymKey',
        'shh_getSymKey',
        'shh_deleteSymKey',
        'shh_post',
        'shh_newMessageFilter',
        'shh_getFilterMessages',
        'shh_deleteMessageFilter',
      ].sort(),
    )
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
