import { request } from 'node:http'
import type { ParleyNode } from '@parley/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, callError, post, rpcNode, rpcServer, urlOf } from './helpers.ts'

let node: ParleyNode
let url: string

beforeAll(async () => {
  node = rpcNode('solo', { maxBodyBytes: 64 * 1024 })
  await node.start()
  url = urlOf(node)
})
afterAll(async () => node.stop())

describe('JSON-RPC over HTTP', () => {
  it('answers shh_version and shh_info on 127.0.0.1', async () => {
    expect(rpcServer(node).address()?.host).toBe('127.0.0.1')
    expect(await call(url, 'shh_version')).toBe('6.0')
    expect(await call(url, 'shh_info')).toEqual({
      memory: 0,
      messages: 0,
      minPow: 0.002,
      maxMessageSize: 1048576,
    })
  })

  it('returns -32700 for bad JSON and -32600 for a malformed request', async () => {
    expect((await post(url, '{"jsonrpc":')).json).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'parse error' },
    })
    for (const bad of [{ jsonrpc: '1.0', id: 1, method: 'shh_version' }, { jsonrpc: '2.0', id: 1 }, 42]) {
      const { json } = await post(url, bad)
      expect((json as { error: { code: number } }).error.code, JSON.stringify(bad)).toBe(-32600)
    }
    expect((await post(url, [])).json).toMatchObject({ error: { code: -32600, message: 'empty batch' } })
  })

  it('returns -32601 for an unknown method', async () => {
    expect(await callError(url, 'shh_nope')).toEqual({
      code: -32601,
      message: 'the method shh_nope does not exist/is not available',
    })
  })

  it('returns -32602 with geth-like texts for bad params', async () => {
    expect(await callError(url, 'shh_hasSymKey')).toEqual({
      code: -32602,
      message: 'missing value for required argument 0',
    })
    expect(await callError(url, 'shh_addSymKey', ['abcd'])).toEqual({
      code: -32602,
      message: 'invalid argument 0: hex string without 0x prefix',
    })
    expect((await callError(url, 'shh_addSymKey', ['0xabc'])).message).toBe(
      'invalid argument 0: hex string of odd length',
    )
    expect((await callError(url, 'shh_setMinPoW', ['high'])).code).toBe(-32602)
    expect((await callError(url, 'shh_version', [1])).message).toBe('too many arguments, want at most 0')
    const { json } = await post(url, { jsonrpc: '2.0', id: 9, method: 'shh_version', params: { a: 1 } })
    expect(json).toMatchObject({ id: 9, error: { code: -32602, message: 'non-array args' } })
  })

  it('serves a batch in order, skipping notifications, with per-call errors', async () => {
    const { status, json } = await post(url, [
      { jsonrpc: '2.0', id: 'a', method: 'shh_newSymKey' },
      { jsonrpc: '2.0', method: 'shh_version' },
      { jsonrpc: '2.0', id: 'b', method: 'shh_nope' },
      { jsonrpc: '2.0', id: 'c', method: 'shh_version' },
    ])
    expect(status).toBe(200)
    const responses = json as Array<{ id: string; result?: unknown; error?: { code: number } }>
    expect(responses.map((response) => response.id)).toEqual(['a', 'b', 'c'])
    expect(responses[0]?.result).toMatch(/^[0-9a-f]{64}$/)
    expect(responses[1]?.error?.code).toBe(-32601)
    expect(responses[2]?.result).toBe('6.0')
    // Only notifications: nothing is owed.
    const silent = await post(url, { jsonrpc: '2.0', method: 'shh_version' })
    expect(silent).toEqual({ status: 200, json: '' })
  })

  it('refuses an oversize body with 413 and keeps serving', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'shh_addSymKey',
      params: [`0x${'00'.repeat(40_000)}`],
    })
    const { status } = await post(url, big)
    expect(status).toBe(413)
    expect(await call(url, 'shh_version')).toBe('6.0')
  })

  it('cuts off a chunked body once it passes the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        url,
        { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        },
      )
      outgoing.on('error', reject)
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      // Stops writing once the answer came back; 8 chunks are 128 KiB, twice the limit.
      for (let index = 0; index < 8; index++) outgoing.write(chunk)
    })
    expect(status).toBe(413)
    expect(await call(url, 'shh_version')).toBe('6.0')
  })

  it('answers 404 off the path and 405 for GET', async () => {
    expect((await fetch(`${url}other`, { method: 'POST', body: '{}' })).status).toBe(404)
    const get = await fetch(url)
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
  })
})

describe('shh_* key store', () => {
  it('manages key pairs with 64-hex ids', async () => {
    const id = await call<string>(url, 'shh_newKeyPair')
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect(await call(url, 'shh_hasKeyPair', [id])).toBe(true)
    const publicKey = await call<string>(url, 'shh_getPublicKey', [id])
    const privateKey = await call<string>(url, 'shh_getPrivateKey', [id])
    expect(publicKey).toMatch(/^0x04[0-9a-f]{128}$/)
    expect(privateKey).toMatch(/^0x[0-9a-f]{64}$/)

    const again = await call<string>(url, 'shh_addPrivateKey', [privateKey])
    expect(again).not.toBe(id)
    expect(await call(url, 'shh_getPublicKey', [again])).toBe(publicKey)

    expect(await call(url, 'shh_deleteKeyPair', [id])).toBe(true)
    expect(await call(url, 'shh_hasKeyPair', [id])).toBe(false)
    expect(await callError(url, 'shh_deleteKeyPair', [id])).toEqual({
      code: -32000,
      message: `key pair ${id} not found`,
    })
    expect((await callError(url, 'shh_getPrivateKey', [id])).message).toBe('invalid id')
    expect((await callError(url, 'shh_addPrivateKey', [`0x${'00'.repeat(32)}`])).message).toBe(
      'invalid private key',
    )
  })

  it('manages symmetric keys, including Status password keys', async () => {
    const raw = `0x${'ab'.repeat(32)}`
    const id = await call<string>(url, 'shh_addSymKey', [raw])
    expect(await call(url, 'shh_getSymKey', [id])).toBe(raw)
    expect(await call(url, 'shh_hasSymKey', [id])).toBe(true)
    expect(await call(url, 'shh_deleteSymKey', [id])).toBe(true)
    expect(await call(url, 'shh_deleteSymKey', [id])).toBe(false)
    expect((await callError(url, 'shh_getSymKey', [id])).message).toBe('non-existent key ID')
    expect((await callError(url, 'shh_addSymKey', ['0xabcd'])).message).toBe('wrong key size: 2')

    const fromPassword = await call<string>(url, 'shh_generateSymKeyFromPassword', ['status'])
    const fresh = await call<string>(url, 'shh_newSymKey')
    expect(await call(url, 'shh_getSymKey', [fromPassword])).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await call(url, 'shh_getSymKey', [fresh])).not.toBe(
      await call(url, 'shh_getSymKey', [fromPassword]),
    )
  })

  it("keeps a filter working after its key pair is deleted (a node's filters see its own posts)", async () => {
    const pair = await call<string>(url, 'shh_newKeyPair')
    const publicKey = await call<string>(url, 'shh_getPublicKey', [pair])
    const filter = await call<string>(url, 'shh_newMessageFilter', [
      { privateKeyID: pair, topics: ['0x5eed'] },
    ])
    expect(await call(url, 'shh_deleteKeyPair', [pair])).toBe(true)
    // Short criteria topics are left-aligned, as go-ethereum does: 0x5eed is 0x5eed0000.
    await call(url, 'shh_post', [{ pubKey: publicKey, topic: '0x5eed0000', payload: '0x01' }])
    expect(await call(url, 'shh_getFilterMessages', [filter])).toMatchObject([
      { payload: '0x01', topic: '0x5eed0000' },
    ])
  })

  it('sets pow, bloom and the post size limit', async () => {
    expect(await call(url, 'shh_setMinPoW', [0.004])).toBe(true)
    expect(await call(url, 'shh_setMaxMessageSize', [2048])).toBe(true)
    expect(await call(url, 'shh_info')).toMatchObject({ minPow: 0.004, maxMessageSize: 2048 })
    expect((await callError(url, 'shh_setMaxMessageSize', [11 * 1024 * 1024])).message).toMatch(/too large/)
    expect(await call(url, 'shh_setBloomFilter', [`0x${'ff'.repeat(64)}`])).toBe(true)
    expect((await callError(url, 'shh_setBloomFilter', ['0xff'])).message).toBe('invalid bloom filter size 1')
    expect((await callError(url, 'shh_setMinPoW', [-1])).message).toBe('invalid PoW: -1')
    await call(url, 'shh_setMinPoW', [0.002])
    await call(url, 'shh_setMaxMessageSize', [1048576])
  })
})
