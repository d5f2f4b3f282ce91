import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import type { WakuRelay } from '@parley/protocol-waku2-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { b64, enc, lightNode, type RestNode, relayNode, serviceNode, stopAll, unb64 } from './fixtures.ts'

const TOPIC = DEFAULT_PUBSUB_TOPIC
const CHAT = '/parley/1/rest-chat/proto'
const AUTO = '/parley/1/rest-auto/proto'
const FILTERED = '/parley/1/rest-filter/proto'
const NS_PER_MS = 1_000_000n

let service: RestNode
let peer: RestNode
let light: RestNode

const relayOf = (node: RestNode) => node.node.get(waku2Relay) as WakuRelay
const nowNs = () => BigInt(Date.now()) * NS_PER_MS

/** What `node`'s relay receives on `contentTopic`, as text. */
function receivedAt(node: RestNode, contentTopic: string): string[] {
  const seen: string[] = []
  void relayOf(node).subscribe({ topics: [contentTopic] }, (message) =>
    seen.push(new TextDecoder().decode(message.payload)),
  )
  return seen
}

beforeAll(async () => {
  service = await serviceNode({ enr: 'enr:-parley-test', version: 'parley-test' })
  peer = await relayNode()
  light = await lightNode(service.address)
  // The admin API connects the service to its relay peer.
  expect(await service.call('POST', '/admin/v1/peers', [peer.address])).toMatchObject({
    status: 200,
    text: 'OK',
  })
  await relayOf(service).waitForPeers(TOPIC, { signal: AbortSignal.timeout(15_000) })
  await relayOf(peer).waitForPeers(TOPIC, { signal: AbortSignal.timeout(15_000) })
})

afterAll(stopAll)

describe('debug, health and admin', () => {
  it('reports listen addresses ending in /p2p/<id>, the ENR when it has one, the version and health', async () => {
    const id = service.node.get(libp2pHost).peerId
    const info = await service.call('GET', '/debug/v1/info')
    expect(info.status).toBe(200)
    const { listenAddresses, enrUri } = info.json as { listenAddresses: string[]; enrUri?: string }
    expect(listenAddresses.length).toBeGreaterThan(0)
    for (const address of listenAddresses)
      expect(address).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${id}$`))
    expect(enrUri).toBe('enr:-parley-test')
    expect((await light.call('GET', '/debug/v1/info')).json).not.toHaveProperty('enrUri')
    expect(await service.call('GET', '/debug/v1/version')).toMatchObject({ status: 200, text: 'parley-test' })
    expect((await service.call('GET', '/health')).json).toEqual({
      nodeHealth: 'Ready',
      protocolsHealth: [{ Relay: 'Ready' }, { Store: 'Ready' }, { Filter: 'Ready' }, { Lightpush: 'Ready' }],
    })
    expect(service.rest.address()?.host).toBe('127.0.0.1')
  })

  it('lists connected peers with their protocols, and refuses what it cannot dial', async () => {
    const peers = (await service.call('GET', '/admin/v1/peers')).json as Array<{
      multiaddr: string
      protocols: Array<{ protocol: string; connected: boolean }>
    }>
    const peerId = peer.node.get(libp2pHost).peerId
    const listed = peers.find((entry) => entry.multiaddr.endsWith(`/p2p/${peerId}`))
    expect(listed?.protocols).toContainEqual({ protocol: '/vac/waku/relay/2.0.0', connected: true })
    expect((await service.call('POST', '/admin/v1/peers', ['/ip4/127.0.0.1/tcp/1'])).status).toBe(400)
    expect((await service.call('POST', '/admin/v1/peers', { not: 'a list' })).status).toBe(400)
  })
})

describe('relay', () => {
  it('caches what arrives on a subscribed pubsub topic until the next GET, with exact timestamps', async () => {
    const path = `/relay/v1/messages/${enc(TOPIC)}`
    expect((await service.call('GET', path)).status).toBe(404)
    expect(await service.call('POST', '/relay/v1/subscriptions', [TOPIC])).toMatchObject({
      status: 200,
      text: 'OK',
    })
    const timestamp = nowNs() + 123n
    await relayOf(peer).post({
      topic: CHAT,
      payload: new TextEncoder().encode('from peer'),
      timestamp,
      meta: Uint8Array.of(7),
    })
    await expect
      .poll(async () => (((await service.call('GET', path)).json as unknown[]).length > 0 ? 'x' : ''), {
        timeout: 10_000,
      })
      .toBe('x')
    // the poll above drained what had arrived; post again and catch that one's answer
    await relayOf(peer).post({ topic: CHAT, payload: new TextEncoder().encode('again'), timestamp })
    let answer = await service.call('GET', path)
    await expect
      .poll(
        async () => {
          const next = await service.call('GET', path)
          if ((next.json as unknown[]).length > 0) answer = next
          return (answer.json as unknown[]).length
        },
        { timeout: 10_000 },
      )
      .toBe(1)
    const [message] = answer.json as Array<Record<string, unknown>>
    expect(message).toMatchObject({ contentTopic: CHAT, version: 0, ephemeral: false })
    expect(unb64(message?.payload)).toBe('again')
    expect(answer.text).toContain(`"timestamp":${timestamp}`)
    expect((await service.call('GET', path)).json).toEqual([])
    expect(await service.call('DELETE', '/relay/v1/subscriptions', [TOPIC])).toMatchObject({ status: 200 })
    expect((await service.call('GET', path)).status).toBe(404)
  })

  it('publishes a posted message to its relay peers, and refuses bad input with a reason', async () => {
    const atPeer = receivedAt(peer, CHAT)
    const timestamp = nowNs()
    const posted = await service.call('POST', `/relay/v1/messages/${enc(TOPIC)}`, {
      payload: b64('hello peer'),
      contentTopic: CHAT,
      timestamp: Number(timestamp / NS_PER_MS) * 1_000_000,
    })
    expect(posted).toMatchObject({ status: 200, text: 'OK' })
    await expect.poll(() => atPeer, { timeout: 10_000 }).toEqual(['hello peer'])
    const bad = [
      [`/relay/v1/messages/${enc(TOPIC)}`, { contentTopic: CHAT }, /payload/],
      [`/relay/v1/messages/${enc(TOPIC)}`, { payload: '!!', contentTopic: CHAT }, /base64/],
      [
        `/relay/v1/messages/${enc(TOPIC)}`,
        { payload: b64('x'), contentTopic: CHAT, timestamp: 1 },
        /timestamp-old/,
      ],
      [
        `/relay/v1/messages/${enc('/waku/2/rs/0/7')}`,
        { payload: b64('x'), contentTopic: CHAT },
        /not subscribed/,
      ],
      [`/relay/v1/messages/not-a-topic`, { payload: b64('x'), contentTopic: CHAT }, /invalid pubsub topic/],
      ['/relay/v1/subscriptions', ['nope'], /invalid pubsub topic/],
    ] as const
    for (const [path, body, reason] of bad) {
      const answer = await service.call('POST', path, body)
      expect(answer.status, path).toBe(400)
      expect(answer.text).toMatch(reason)
    }
    expect((await service.call('POST', `/relay/v1/messages/${enc(TOPIC)}`, '{not json')).status).toBe(400)
  })

  it('subscribes and publishes by content topic (autosharding endpoints)', async () => {
    const path = `/relay/v1/auto/messages/${enc(AUTO)}`
    expect(await service.call('POST', '/relay/v1/auto/subscriptions', [AUTO])).toMatchObject({ status: 200 })
    const atPeer = receivedAt(peer, AUTO)
    expect(
      (await service.call('POST', '/relay/v1/auto/messages', { payload: b64('auto'), contentTopic: AUTO }))
        .status,
    ).toBe(200)
    await expect.poll(() => atPeer, { timeout: 10_000 }).toEqual(['auto'])
    await relayOf(peer).post({ topic: AUTO, payload: new TextEncoder().encode('auto back') })
    const texts: string[] = []
    await expect
      .poll(
        async () => {
          for (const m of (await service.call('GET', path)).json as Array<{ payload: string }>)
            texts.push(unb64(m.payload))
          return texts.sort()
        },
        { timeout: 10_000 },
      )
      .toEqual(['auto', 'auto back'])
    expect(await service.call('DELETE', '/relay/v1/auto/subscriptions', [AUTO])).toMatchObject({
      status: 200,
    })
    expect((await service.call('GET', path)).status).toBe(404)
    expect((await service.call('POST', '/relay/v1/auto/subscriptions', ['no-slashes'])).status).toBe(400)
  })
})

describe('store', () => {
  it('answers from its own archive, and a light node through its store peer, with hashes and cursors', async () => {
    const hash = await relayOf(peer).post({ topic: CHAT, payload: new TextEncoder().encode('stored') })
    const query = `pubsubTopic=${enc(TOPIC)}&contentTopics=${enc(CHAT)}&includeData=true&pageSize=100`
    const find = async (node: RestNode) => {
      const answer = await node.call('GET', `/store/v3/messages?${query}`)
      expect(answer.status).toBe(200)
      const body = answer.json as {
        statusCode: number
        messages: Array<{ messageHash: string; message?: { payload: string }; pubsubTopic?: string }>
      }
      expect(body.statusCode).toBe(200)
      return body.messages.find((entry) => entry.messageHash === hash)
    }
    await expect
      .poll(async () => unb64((await find(service))?.message?.payload), { timeout: 10_000 })
      .toBe('stored')
    expect((await find(service))?.pubsubTopic).toBe(TOPIC)
    expect(unb64((await find(light))?.message?.payload)).toBe('stored')
    const explicit = await light.call('GET', `/store/v3/messages?${query}&peerAddr=${enc(service.address)}`)
    expect(
      (explicit.json as { messages: Array<{ messageHash: string }> }).messages.map((m) => m.messageHash),
    ).toContain(hash)

    const paged = await service.call(
      'GET',
      `/store/v3/messages?pubsubTopic=${enc(TOPIC)}&contentTopics=${enc(CHAT)}&pageSize=1`,
    )
    const first = paged.json as {
      messages: Array<{ messageHash: string; message?: unknown }>
      paginationCursor?: string
    }
    expect(first.messages).toHaveLength(1)
    expect(first.messages[0]).not.toHaveProperty('message') // includeData defaults to false, as nwaku
    expect(first.paginationCursor).toMatch(/^0x[0-9a-f]{64}$/)
    const next = await service.call(
      'GET',
      `/store/v3/messages?pubsubTopic=${enc(TOPIC)}&contentTopics=${enc(CHAT)}&pageSize=1&cursor=${first.paginationCursor}`,
    )
    expect((next.json as { messages: Array<{ messageHash: string }> }).messages[0]?.messageHash).not.toBe(
      first.messages[0]?.messageHash,
    )

    for (const bad of [
      'cursor=0x12',
      'startTime=yesterday',
      'ascending=maybe',
      'pageSize=-1',
      'peerAddr=/ip4/1.2.3.4',
    ])
      expect((await service.call('GET', `/store/v3/messages?${bad}`)).status, bad).toBe(400)
    // a content filter without a pubsub topic: the store's own 400, in a 200 answer as nwaku
    const refused = await service.call('GET', `/store/v3/messages?contentTopics=${enc(CHAT)}`)
    expect(refused.json).toMatchObject({ statusCode: 400 })
  })
})

describe('filter (light node)', () => {
  it('subscribes at its filter peer, caches pushes per content topic, pings and unsubscribes', async () => {
    const path = `/filter/v2/messages/${enc(FILTERED)}`
    expect(await light.call('GET', path)).toMatchObject({ status: 400 })
    const subscribed = await light.call('POST', '/filter/v2/subscriptions', {
      requestId: 'r1',
      contentFilters: [FILTERED],
      pubsubTopic: TOPIC,
    })
    expect(subscribed).toMatchObject({ status: 200, json: { requestId: 'r1', statusCode: 200 } })
    const timestamp = nowNs() + 7n
    await relayOf(peer).post({ topic: FILTERED, payload: new TextEncoder().encode('pushed'), timestamp })
    let answer = await light.call('GET', path)
    await expect
      .poll(
        async () => {
          answer = await light.call('GET', path)
          return (answer.json as unknown[]).length
        },
        { timeout: 10_000 },
      )
      .toBe(1)
    expect(unb64((answer.json as Array<{ payload: string }>)[0]?.payload)).toBe('pushed')
    expect(answer.text).toContain(`"timestamp":${timestamp}`)
    expect(await light.call('GET', '/filter/v2/subscriptions/r2')).toMatchObject({
      status: 200,
      json: { requestId: 'r2' },
    })
    const other = { requestId: 'r3', contentFilters: [CHAT], pubsubTopic: TOPIC }
    expect((await light.call('POST', '/filter/v2/subscriptions', other)).status).toBe(200)
    const gone = await light.call('DELETE', '/filter/v2/subscriptions', {
      requestId: 'r4',
      contentFilters: [FILTERED],
      pubsubTopic: TOPIC,
    })
    expect(gone).toMatchObject({ status: 200, json: { requestId: 'r4' } })
    expect((await light.call('GET', path)).status).toBe(400)
    expect((await light.call('GET', `/filter/v2/messages/${enc(CHAT)}`)).status).toBe(200)
    expect((await light.call('DELETE', '/filter/v2/subscriptions/all', { requestId: 'r5' })).status).toBe(200)
    expect((await light.call('GET', '/filter/v2/subscriptions/r6')).status).toBe(404) // nothing held any more
    expect(
      (await light.call('POST', '/filter/v2/subscriptions', { requestId: 'r6', contentFilters: [] })).status,
    ).toBe(400)
  })
})

describe('lightpush', () => {
  it('pushes through its own service, or through its lightpush peer, with nwaku status codes', async () => {
    const atPeer = receivedAt(peer, CHAT)
    const own = await service.call('POST', '/lightpush/v3/message', {
      pubsubTopic: TOPIC,
      message: { payload: b64('self-pushed'), contentTopic: CHAT },
    })
    expect(own).toMatchObject({ status: 200, json: { relayPeerCount: 1 } })
    const viaPeer = await light.call('POST', '/lightpush/v3/message', {
      message: { payload: b64('light-pushed'), contentTopic: CHAT },
    })
    expect(viaPeer.status).toBe(200)
    await expect.poll(() => atPeer.sort(), { timeout: 10_000 }).toEqual(['light-pushed', 'self-pushed'])
    const stale = await service.call('POST', '/lightpush/v3/message', {
      message: { payload: b64('old'), contentTopic: CHAT, timestamp: 1 },
    })
    expect(stale.status).toBe(400) // 420 INVALID_MESSAGE, answered 400 as nwaku
    expect(stale.json).toMatchObject({ statusDesc: expect.stringMatching(/too old/) })
    const unrelayed = await service.call('POST', '/lightpush/v3/message', {
      pubsubTopic: '/waku/2/rs/0/5',
      message: { payload: b64('x'), contentTopic: CHAT },
    })
    expect(unrelayed.status).toBe(421)
    expect((await service.call('POST', '/lightpush/v3/message', { message: 'nope' })).status).toBe(400)
  })
})

describe('what the node lacks, and HTTP details', () => {
  it('answers 404 with a reason for absent services, unknown paths, and 405 for wrong methods', async () => {
    expect(await light.call('GET', `/relay/v1/messages/${enc(TOPIC)}`)).toMatchObject({
      status: 404,
      text: 'relay is not mounted on this node',
    })
    expect(await peer.call('GET', '/store/v3/messages')).toMatchObject({
      status: 404,
      text: 'store is not mounted on this node',
    })
    expect((await peer.call('GET', '/filter/v2/messages/x')).text).toMatch(/filter client is not mounted/)
    expect((await service.call('GET', '/nope')).status).toBe(404)
    expect((await service.call('PUT', '/debug/v1/info')).status).toBe(405)
    expect((await service.call('GET', '/relay/v1/messages/%E0%A4%A')).status).toBe(400)
    const big = await service.call(
      'POST',
      '/relay/v1/subscriptions',
      JSON.stringify(['x'.repeat(2 * 1024 * 1024)]),
    )
    expect(big.status).toBe(413)
  })
})
