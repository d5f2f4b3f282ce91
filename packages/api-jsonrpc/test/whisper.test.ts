import type { ParleyNode } from '@parley/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RpcMessage } from '../src/index.ts'
import { call, callError, hexOf, startRpcPair, until } from './helpers.ts'

let alice: ParleyNode
let bob: ParleyNode
let aliceUrl: string
let bobUrl: string

beforeAll(async () => {
  ;({ alice, bob, aliceUrl, bobUrl } = await startRpcPair({ connected: true }))
})
afterAll(async () => {
  await alice?.stop()
  await bob?.stop()
})

/** Polls shh_getFilterMessages until `count` messages arrived (bounded wait). */
async function collect(url: string, filter: string, count = 1): Promise<RpcMessage[]> {
  const messages: RpcMessage[] = []
  await until(async () => {
    messages.push(...(await call<RpcMessage[]>(url, 'shh_getFilterMessages', [filter])))
    return messages.length >= count
  }, `${count} message(s) on the filter`)
  return messages
}

describe('shh_post → shh_getFilterMessages between two nodes', () => {
  it('delivers a signed symmetric message under a password key', async () => {
    const topic = '0x12345678'
    const aliceKey = await call<string>(aliceUrl, 'shh_generateSymKeyFromPassword', ['parley-room'])
    const bobKey = await call<string>(bobUrl, 'shh_generateSymKeyFromPassword', ['parley-room'])
    const filter = await call<string>(bobUrl, 'shh_newMessageFilter', [{ symKeyID: bobKey, topics: [topic] }])
    expect(filter).toMatch(/^[0-9a-f]{64}$/)

    const signer = await call<string>(aliceUrl, 'shh_newKeyPair')
    const signerPublicKey = await call<string>(aliceUrl, 'shh_getPublicKey', [signer])
    const hash = await call<string>(aliceUrl, 'shh_post', [
      {
        symKeyID: aliceKey,
        sig: signer,
        ttl: 30,
        topic,
        payload: hexOf('hello bob'),
        powTarget: 0.002,
        powTime: 1,
      },
    ])
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)

    const [message, ...rest] = await collect(bobUrl, filter)
    expect(rest).toEqual([])
    expect(message).toMatchObject({ topic, ttl: 30, payload: hexOf('hello bob'), sig: signerPublicKey, hash })
    expect(message?.pow).toBeGreaterThanOrEqual(0.002)
    expect(Math.abs((message?.timestamp ?? 0) - Date.now() / 1000)).toBeLessThan(60)
    expect(message?.recipientPublicKey).toBeUndefined()
    // Taken means gone.
    expect(await call(bobUrl, 'shh_getFilterMessages', [filter])).toEqual([])
    expect(await call(bobUrl, 'shh_deleteMessageFilter', [filter])).toBe(true)
    expect((await callError(bobUrl, 'shh_getFilterMessages', [filter])).message).toBe('filter not found')
  })

  it("delivers an unsigned asymmetric message to Bob's public key only", async () => {
    const topic = '0xabcdef01'
    const bobPair = await call<string>(bobUrl, 'shh_newKeyPair')
    const otherPair = await call<string>(bobUrl, 'shh_newKeyPair')
    const bobPublicKey = await call<string>(bobUrl, 'shh_getPublicKey', [bobPair])
    const mine = await call<string>(bobUrl, 'shh_newMessageFilter', [
      { privateKeyID: bobPair, topics: [topic] },
    ])
    const notMine = await call<string>(bobUrl, 'shh_newMessageFilter', [
      { privateKeyID: otherPair, topics: [topic] },
    ])

    const hash = await call<string>(aliceUrl, 'shh_post', [
      { pubKey: bobPublicKey, topic, payload: hexOf('for bob'), padding: hexOf('pad') },
    ])
    const [message] = await collect(bobUrl, mine)
    expect(message).toMatchObject({
      hash,
      payload: hexOf('for bob'),
      padding: hexOf('pad'),
      recipientPublicKey: bobPublicKey,
    })
    expect(message?.sig).toBeUndefined()
    expect(await call(bobUrl, 'shh_getFilterMessages', [notMine])).toEqual([])
  })

  it('filters on the signer and on minPow', async () => {
    const topic = '0x0badcafe'
    const key = `0x${'42'.repeat(32)}`
    const aliceKey = await call<string>(aliceUrl, 'shh_addSymKey', [key])
    const bobKey = await call<string>(bobUrl, 'shh_addSymKey', [key])
    const wanted = await call<string>(aliceUrl, 'shh_newKeyPair')
    const other = await call<string>(aliceUrl, 'shh_newKeyPair')
    const wantedPublicKey = await call<string>(aliceUrl, 'shh_getPublicKey', [wanted])
    const bySigner = await call<string>(bobUrl, 'shh_newMessageFilter', [
      { symKeyID: bobKey, topics: [topic], sig: wantedPublicKey },
    ])
    // 2^256 is over any pow (2^zero bits / (size·ttl)); a post sealed to 0.002 reached the 1000 used
    // before about 1 time in 500,000 (two posts here).
    const demanding = await call<string>(bobUrl, 'shh_newMessageFilter', [
      { symKeyID: bobKey, topics: [topic], minPow: 2 ** 256 },
    ])
    await call(aliceUrl, 'shh_post', [{ symKeyID: aliceKey, sig: other, topic, payload: hexOf('other') }])
    await call(aliceUrl, 'shh_post', [{ symKeyID: aliceKey, sig: wanted, topic, payload: hexOf('wanted') }])
    const messages = await collect(bobUrl, bySigner)
    expect(messages.map((message) => message.payload)).toEqual([hexOf('wanted')])
    expect(await call(bobUrl, 'shh_getFilterMessages', [demanding])).toEqual([])
  })

  it('rejects bad posts and filters with geth texts', async () => {
    const sym = await call<string>(aliceUrl, 'shh_newSymKey')
    const pair = await call<string>(aliceUrl, 'shh_newKeyPair')
    const publicKey = await call<string>(aliceUrl, 'shh_getPublicKey', [pair])
    const symAsym = 'specify either a symmetric or an asymmetric key'
    const cases: Array<[string, unknown, string]> = [
      ['shh_post', { topic: '0x01020304', payload: '0x01' }, symAsym],
      ['shh_post', { symKeyID: sym, pubKey: publicKey, topic: '0x01020304' }, symAsym],
      ['shh_post', { symKeyID: sym, payload: '0x01' }, 'missing topic(s)'],
      ['shh_post', { pubKey: '0x0401', topic: '0x01020304' }, 'invalid public key'],
      [
        'shh_post',
        { symKeyID: sym, topic: '0x01020304', powTarget: 0.0001 },
        'message rejected, PoW too low',
      ],
      ['shh_post', { symKeyID: 'nope', topic: '0x01020304' }, 'non-existent key ID'],
      ['shh_post', { symKeyID: sym, sig: 'nope', topic: '0x01020304' }, 'invalid id'],
      ['shh_newMessageFilter', { topics: ['0x01020304'] }, symAsym],
      ['shh_newMessageFilter', { symKeyID: sym }, 'missing topic(s)'],
      [
        'shh_newMessageFilter',
        { symKeyID: sym, topics: ['0x0102030405'] },
        'subscribe: topic 0 has wrong size: 5',
      ],
      ['shh_newMessageFilter', { privateKeyID: 'nope', topics: ['0x01020304'] }, 'invalid public key'],
      [
        'shh_newMessageFilter',
        { symKeyID: sym, topics: ['0x01'], sig: '0x04' },
        'invalid signing public key',
      ],
    ]
    for (const [method, request, message] of cases) {
      expect(await callError(aliceUrl, method, [request]), JSON.stringify(request)).toEqual({
        code: -32000,
        message,
      })
    }
    expect((await callError(aliceUrl, 'shh_post', [{ symKeyID: sym, topic: '0x0102' }])).code).toBe(-32602)
    expect((await callError(aliceUrl, 'shh_post', ['text'])).code).toBe(-32602)
  })
})
