/**
 * Random JSON thrown at every method, over HTTP and WebSocket, on a live node with Whisper, Waku v1
 * and the devp2p host: every call gets a JSON-RPC response (result, or an error with a numeric code
 * and a caller-facing message, never the "internal error" of an unexpected throw), and the server
 * keeps serving afterwards.
 */
import type { ParleyNode } from '@parley/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post, rpcNode, rpcServer, urlOf } from './helpers.ts'
import { WsClient } from './ws-client.ts'

let node: ParleyNode
let ws: WsClient
let methods: string[]
const errors: string[] = []

beforeAll(async () => {
  node = rpcNode('fuzz', { wsPort: 0 }, { whisper: true, waku: true })
  await node.start()
  ws = await WsClient.connect(rpcServer(node).wsUrl()!)
  // Password keys cost a PBKDF2 each; random strings would only make the run slow.
  methods = rpcServer(node)
    .methods()
    .filter((name) => !name.endsWith('_generateSymKeyFromPassword'))
})
afterAll(async () => {
  await ws?.close()
  await node?.stop()
})

/** Plausible values mixed with plain random JSON, so decoders see near-misses too. */
const value = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('0x', '0x00', '0x01020304', `0x${'ab'.repeat(32)}`, 'messages', 'enode://', ''),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 140 }).map((hex) => `0x${hex}`),
  fc.record(
    {
      symKeyID: fc.oneof(fc.string(), fc.constant('00'.repeat(32))),
      privateKeyID: fc.string(),
      topics: fc.array(fc.oneof(fc.constant('0x01020304'), fc.jsonValue()), { maxLength: 3 }),
      topic: fc.jsonValue(),
      payload: fc.jsonValue(),
      pubKey: fc.jsonValue(),
      sig: fc.jsonValue(),
      ttl: fc.jsonValue(),
      powTarget: fc.jsonValue(),
      minPow: fc.jsonValue(),
      allowP2P: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
)
const call = () =>
  fc.record({
    method: fc.constantFrom(...methods),
    params: fc.oneof(fc.array(value, { maxLength: 3 }), fc.jsonValue()),
  })

function checkResponse(response: unknown, id: number): void {
  const { jsonrpc, id: answered, result, error } = response as Record<string, unknown>
  expect(jsonrpc).toBe('2.0')
  expect(answered).toBe(id)
  if (error === undefined) {
    expect(result).not.toBeUndefined()
    return
  }
  const { code, message } = error as { code: unknown; message: unknown }
  expect(code).toBeTypeOf('number')
  expect(message).toBeTypeOf('string')
  if (message === 'internal error') errors.push(JSON.stringify(response))
  expect(message).not.toBe('internal error')
}

describe('random parameters at every method', () => {
  it('over HTTP: always a JSON-RPC response, never an internal error', async () => {
    let id = 0
    await fc.assert(
      fc.asyncProperty(call(), async ({ method, params }) => {
        id++
        const { status, json } = await post(urlOf(node), { jsonrpc: '2.0', id, method, params })
        expect(status).toBe(200)
        checkResponse(json, id)
      }),
      { numRuns: 300 },
    )
    expect(errors).toEqual([])
    const { json } = await post(urlOf(node), { jsonrpc: '2.0', id: 1, method: 'waku_version' })
    expect(json).toMatchObject({ result: '1' })
  })

  it('over WebSocket: the same, on one connection that stays open', async () => {
    let id = 0
    await fc.assert(
      fc.asyncProperty(call(), async ({ method, params }) => {
        id++
        const response = await ws.raw(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
        checkResponse(response, id)
      }),
      { numRuns: 300 },
    )
    expect(errors).toEqual([])
    expect(await ws.call('shh_version')).toBe('6.0')
  })
})
