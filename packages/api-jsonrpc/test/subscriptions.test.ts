import { once } from 'node:events'
import { fakeComponents } from '@parley/compliance-tests'
import { loadCrypto } from '@parley/crypto'
import { seal } from '@parley/envelope'
import type { ReceivedMessage, V1PrivacyProtocol } from '@parley/interfaces'
import { whisperProtocol } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { type JsonRpcServer, jsonRpc, RpcSession } from '../src/index.ts'
import { until } from './helpers.ts'
import { WsClient } from './ws-client.ts'

const { secp256k1 } = await loadCrypto()
const KEY = new Uint8Array(32).fill(7)
const TOPIC = '0x01020304'

/** A protocol that records subscriptions and, if asked, delivers a message inside `subscribe`. */
function recordingProtocol(deliverOnSubscribe: boolean) {
  const handlers = new Set<(message: ReceivedMessage) => void>()
  const message: ReceivedMessage = {
    topic: TOPIC,
    payload: seal({ payload: Uint8Array.of(1, 2, 3), symKey: KEY }, { secp256k1 }),
    hash: `0x${'ab'.repeat(32)}`,
    timestamp: 1_700_000_000_000,
    ttl: 10,
    pow: 1,
  }
  const protocol = {
    minPow: 0,
    maxMessageSize: 1024 * 1024,
    subscribe: async (_filter: unknown, handler: (message: ReceivedMessage) => void) => {
      handlers.add(handler)
      if (deliverOnSubscribe) handler(message)
      return { unsubscribe: async () => void handlers.delete(handler) }
    },
  }
  return { handlers, message, protocol: protocol as unknown as V1PrivacyProtocol }
}

const services: JsonRpcServer[] = []
const clients: WsClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(services.splice(0).map((service) => service.stop()))
})

async function serve(protocol: V1PrivacyProtocol): Promise<WsClient> {
  const service = jsonRpc({ port: 0, wsPort: 0 }).create(
    fakeComponents({ services: [[whisperProtocol, protocol]] }),
  )
  services.push(service)
  await service.start()
  const client = await WsClient.connect(service.wsUrl()!)
  clients.push(client)
  return client
}

describe('subscriptions over WebSocket', () => {
  it('send the subscribe response before the first notification, even one delivered at once', async () => {
    const { protocol } = recordingProtocol(true)
    const client = await serve(protocol)
    const key = await client.call<string>('shh_addSymKey', [`0x${Buffer.from(KEY).toString('hex')}`])
    const id = await client.call<string>('shh_subscribe', ['messages', { symKeyID: key, topics: [TOPIC] }])
    await until(() => client.notifications.length === 1, 'the notification arrived')
    const order = client.frames.map((frame) => ((frame as { method?: string }).method ? 'notify' : 'reply'))
    expect(order).toEqual(['reply', 'reply', 'notify'])
    expect(client.notifications[0]?.params).toEqual({
      subscription: id,
      result: {
        ttl: 10,
        timestamp: 1_700_000_000,
        topic: TOPIC,
        payload: '0x010203',
        padding: expect.stringMatching(/^0x/),
        pow: 1,
        hash: `0x${'ab'.repeat(32)}`,
      },
    })
  })

  it('are dropped when the socket closes', async () => {
    const { protocol, handlers } = recordingProtocol(false)
    const client = await serve(protocol)
    const key = await client.call<string>('shh_newSymKey')
    for (let i = 0; i < 3; i++)
      await client.call('shh_subscribe', ['messages', { symKeyID: key, topics: [TOPIC] }])
    expect(handlers.size).toBe(3)
    await client.close()
    await until(() => handlers.size === 0, 'every subscription cancelled')
  })

  it('end with their connections when the server stops', async () => {
    const { protocol, handlers } = recordingProtocol(false)
    const client = await serve(protocol)
    const key = await client.call<string>('shh_newSymKey')
    await client.call('shh_subscribe', ['messages', { symKeyID: key, topics: [TOPIC] }])
    const closed = once(client.socket, 'close')
    await services[0]?.stop()
    await closed
    expect(handlers.size).toBe(0)
    expect(services[0]?.wsUrl()).toBeUndefined()
  })

  it('are bounded per connection', async () => {
    const session = new RpcSession({ send: () => undefined, overflow: () => undefined, maxSubscriptions: 2 })
    for (const id of [session.newId(), session.newId()]) session.add(id, async () => undefined)
    expect(() => session.newId()).toThrow(/too many subscriptions/)
  })
})

describe('RpcSession', () => {
  it('holds notifications while calls are in flight and sends them in order after', () => {
    const sent: string[] = []
    const session = new RpcSession({ send: (text) => sent.push(text), overflow: () => undefined })
    const id = session.newId()
    session.add(id, async () => undefined)
    session.hold()
    session.hold()
    session.notify('waku', id, 1)
    session.notify('waku', id, 2)
    session.release()
    expect(sent).toEqual([])
    session.release()
    expect(sent.map((text) => JSON.parse(text))).toEqual([
      { jsonrpc: '2.0', method: 'waku_subscription', params: { subscription: id, result: 1 } },
      { jsonrpc: '2.0', method: 'waku_subscription', params: { subscription: id, result: 2 } },
    ])
    session.notify('waku', '0xunknown', 3)
    expect(sent).toHaveLength(2)
  })

  it('cancels everything on close and refuses to keep later subscriptions', async () => {
    const cancelled: string[] = []
    const session = new RpcSession({ send: () => undefined, overflow: () => undefined })
    session.add('a', async () => void cancelled.push('a'))
    await session.close()
    session.add('b', async () => void cancelled.push('b'))
    await until(() => cancelled.length === 2, 'both cancelled')
    expect(session.subscriptions).toBe(0)
  })
})
