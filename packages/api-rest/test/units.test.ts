/** The plugin's options and lifecycle, CORS, JSON codec and message cache, each on its own. */
import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { InvalidConfigError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  MessageCache,
  messageFromJson,
  messageToJson,
  parseJson,
  type RestApiServer,
  restApi,
  restApiSettings,
  toJson,
} from '../src/index.ts'
import { call } from './fixtures.ts'

pluginSuite('api-rest', () => restApi({ port: 0 }))

lifecycleSuite<RestApiServer>('api-rest', {
  setup: async () => restApi({ port: 0 }).create(fakeComponents()),
  teardown: async (server) => server.stop(),
})

describe('options', () => {
  it('defaults to nwaku port 8645 on 127.0.0.1 and refuses malformed options', () => {
    const settings = restApiSettings()
    expect(settings).toMatchObject({ port: 8645, address: '127.0.0.1', allowOrigins: [], cacheCapacity: 30 })
    expect(settings.enr()).toBeUndefined()
    for (const bad of [
      { port: -1 },
      { port: 70_000 },
      { address: '' },
      { cacheCapacity: 0 },
      { allowOrigins: [''] },
      { filterPeer: '16Uiu2HAm' },
    ])
      expect(() => restApi(bad), JSON.stringify(bad)).toThrow(InvalidConfigError)
    let enr: string | undefined
    const live = restApiSettings({ enr: () => enr })
    enr = 'enr:-later'
    expect(live.enr()).toBe('enr:-later')
  })
})

describe('CORS allow-list', () => {
  it('answers allowed origins with CORS headers, refuses others, and answers preflights', async () => {
    const server = restApi({ port: 0, allowOrigins: ['http://ok.example'] }).create(fakeComponents())
    await server.start()
    try {
      const base = server.url() ?? ''
      const allowed = await fetch(`${base}/debug/v1/version`, { headers: { origin: 'http://ok.example' } })
      expect(allowed.status).toBe(200)
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://ok.example')
      const refused = await fetch(`${base}/debug/v1/version`, { headers: { origin: 'http://evil.example' } })
      expect(refused.status).toBe(403)
      const preflight = await fetch(`${base}/relay/v1/subscriptions`, {
        method: 'OPTIONS',
        headers: { origin: 'http://ok.example', 'access-control-request-method': 'POST' },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
      // no Origin header (curl, other servers): served, without CORS headers
      const plain = await call(base, 'GET', '/debug/v1/version')
      expect(plain.status).toBe(200)
      expect(plain.headers.get('access-control-allow-origin')).toBeNull()
      // a node without libp2p still answers, with a reason
      expect(await call(base, 'GET', '/debug/v1/info')).toMatchObject({
        status: 404,
        text: 'libp2p is not mounted on this node',
      })
    } finally {
      await server.stop()
    }
  })
})

describe('JSON as nwaku writes it', () => {
  it('keeps 64-bit nanosecond timestamps exact both ways', () => {
    const timestamp = 1_700_000_000_123_456_789n
    expect(toJson({ timestamp, list: [1n] })).toBe('{"timestamp":1700000000123456789,"list":[1]}')
    expect(parseJson('{"timestamp":1700000000123456789,"small":5,"f":1.5}')).toEqual({
      timestamp,
      small: 5,
      f: 1.5,
    })
    const message = messageFromJson(
      { payload: 'aGk=', contentTopic: '/a/1/b/proto', timestamp, meta: 'AQI=', version: 1, ephemeral: true },
      0n,
    )
    expect(message).toEqual({
      payload: new Uint8Array([104, 105]),
      contentTopic: '/a/1/b/proto',
      timestamp,
      version: 1,
      meta: new Uint8Array([1, 2]),
      ephemeral: true,
    })
    expect(messageToJson(message)).toEqual({
      payload: 'aGk=',
      contentTopic: '/a/1/b/proto',
      version: 1,
      timestamp,
      meta: 'AQI=',
      ephemeral: true,
    })
  })

  it('refuses malformed messages with a reason', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /object/],
      [{ payload: 'aGk=' }, /contentTopic/],
      [{ payload: 'a', contentTopic: '/a/1/b/c' }, /base64/],
      [{ payload: 5, contentTopic: '/a/1/b/c' }, /base64/],
      [{ payload: '', contentTopic: '/a/1/b/c', version: -1 }, /version/],
      [{ payload: '', contentTopic: '/a/1/b/c', timestamp: 1.5 }, /timestamp/],
      [{ payload: '', contentTopic: '/a/1/b/c', timestamp: -1 }, /range/],
      [{ payload: '', contentTopic: '/a/1/b/c', ephemeral: 'yes' }, /ephemeral/],
    ]
    for (const [input, reason] of cases)
      expect(() => messageFromJson(input, 0n), JSON.stringify(input)).toThrow(reason)
    expect(() => parseJson('{')).toThrow(/not JSON/)
  })
})

describe('message cache', () => {
  it('keeps the newest messages per topic and a bounded number of topics', () => {
    const cache = new MessageCache<number>(2, 1)
    expect(cache.take('a')).toBeUndefined()
    cache.add('a', 0) // not subscribed: dropped
    expect(cache.subscribe('a')).toBe(true)
    expect(cache.subscribe('b')).toBe(false)
    for (const n of [1, 2, 3]) cache.add('a', n)
    expect(cache.take('a')).toEqual([2, 3])
    expect(cache.take('a')).toEqual([])
    cache.unsubscribe('a')
    expect(cache.subscribe('b')).toBe(true)
  })
})
