/**
 * shh/6 and waku/1 Status against @ethereumjs/devp2p: ours decodes with their RLP as go-ethereum's
 * and status-go's layouts say, theirs (encoded with their RLP) makes our protocol report the peer ready.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { connectedPair, FULL_BLOOM, type Pair } from './ethereumjs-fixtures.ts'
import * as theirs from './ethereumjs-wire.ts'
import { MIN_POW, ours } from './parley-node.ts'

let pair: Pair | undefined
afterEach(async () => {
  await pair?.stop()
  pair = undefined
})

describe('shh/6 Status with @ethereumjs/devp2p', () => {
  it.each(['them', 'us'] as const)('%s dialling: each side accepts the other', async (dialer) => {
    pair = await connectedPair(['shh'], { dialer })
    const { their, node, ourId, theirId } = pair

    // Ours, read their way: go-ethereum's [version, Float64bits(pow), bloom, isLightNode].
    const status = await their.received({ peerId: ourId, capability: 'shh', code: 0 })
    expect(theirs.readWhisperStatus(status.payload)).toEqual({
      version: 6,
      pow: MIN_POW,
      bloom: FULL_BLOOM,
      lightNode: false,
    })
    // Theirs made our protocol ready, and our host sent nothing else before it.
    expect(ours(node, 'shh').readyPeers()).toEqual([theirId])
    expect(their.packets.filter((packet) => packet.code !== 0)).toEqual([])
    expect(their.errors).toEqual([])
  })
})

describe('waku/1 Status with @ethereumjs/devp2p', () => {
  it.each(['them', 'us'] as const)('%s dialling: each side accepts the other', async (dialer) => {
    pair = await connectedPair(['waku'], { dialer })
    const { their, node, ourId, theirId } = pair

    // Ours, read their way: status-go's options list, [key, value] pairs and no version.
    const status = await their.received({ peerId: ourId, capability: 'waku', code: 0 })
    const options = theirs.readWakuStatus(status.payload)
    const keys = [...options.keys()]
    expect(keys, 'in key order, as status-go encodes').toEqual([...keys].sort((a, b) => a - b))
    expect(keys.slice(0, 4)).toEqual([0, 1, 2, 3])
    expect(keys.every((key) => key <= theirs.WAKU_KEY.bytesRateLimits)).toBe(true)
    expect(theirs.uint(options.get(theirs.WAKU_KEY.pow))).toBe(theirs.float64Bits(MIN_POW))
    expect(options.get(theirs.WAKU_KEY.bloom)).toEqual(FULL_BLOOM)
    expect(theirs.uint(options.get(theirs.WAKU_KEY.lightNode))).toBe(0n)
    expect(theirs.uint(options.get(theirs.WAKU_KEY.confirmations))).toBe(0n)
    // Rate limits (4, and status-go's 6 in bytes) are optional; when sent, they are [ip, peerID, topic].
    for (const key of [theirs.WAKU_KEY.rateLimits, theirs.WAKU_KEY.bytesRateLimits]) {
      if (options.has(key)) expect(theirs.readRateLimits(options.get(key))).toHaveLength(3)
    }

    // Theirs carries rate limits (keys 4 and 6) too; our waku/1 accepted it.
    expect(ours(node, 'waku').readyPeers()).toEqual([theirId])
    expect(their.errors).toEqual([])
  })

  it('accepts their Status with a topic interest (key 5)', async () => {
    pair = await connectedPair(['waku'], { topicInterest: [new Uint8Array([1, 2, 3, 4])] })
    expect(ours(pair.node, 'waku').readyPeers()).toEqual([pair.theirId])
  })
})
