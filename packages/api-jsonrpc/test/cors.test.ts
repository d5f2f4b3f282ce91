import type { ParleyNode } from '@parley/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { originAllowed, webSocketOriginAllowed } from '../src/index.ts'
import { rpcNode, urlOf } from './helpers.ts'

describe('origin allow-lists (geth --http.corsdomain, --ws.origins)', () => {
  it('matches scheme, host and port, each optional in the rule', () => {
    expect(originAllowed('https://app.example', ['https://app.example'])).toBe(true)
    expect(originAllowed('HTTPS://App.Example', ['https://app.example'])).toBe(true)
    expect(originAllowed('http://app.example', ['https://app.example'])).toBe(false)
    expect(originAllowed('https://app.example:8443', ['https://app.example'])).toBe(true)
    expect(originAllowed('https://app.example:8443', ['https://app.example:443'])).toBe(false)
    expect(originAllowed('https://app.example', ['https://app.example:443'])).toBe(true)
    expect(originAllowed('http://localhost:3000', ['localhost'])).toBe(true)
    expect(originAllowed('http://localhost.evil.example', ['localhost'])).toBe(false)
    expect(originAllowed('https://other.example', ['https://app.example'])).toBe(false)
    expect(originAllowed('null', ['https://app.example'])).toBe(false)
    expect(originAllowed('anything at all', ['*'])).toBe(true)
    expect(originAllowed('https://app.example', [])).toBe(false)
  })

  it('lets non-browsers (no Origin) upgrade, and only localhost pages when no list is set', () => {
    expect(webSocketOriginAllowed(undefined, [])).toBe(true)
    expect(webSocketOriginAllowed('http://localhost:8080', [])).toBe(true)
    expect(webSocketOriginAllowed('https://app.example', [])).toBe(false)
    expect(webSocketOriginAllowed('https://app.example', ['https://app.example'])).toBe(true)
  })
})

describe('CORS over HTTP', () => {
  let open: ParleyNode
  let listed: ParleyNode
  let closed: ParleyNode
  beforeAll(async () => {
    open = rpcNode('open', { cors: ['*'] })
    listed = rpcNode('listed', { cors: ['https://app.example'] })
    closed = rpcNode('closed')
    await Promise.all([open.start(), listed.start(), closed.start()])
  })
  afterAll(async () => {
    await Promise.all([open?.stop(), listed?.stop(), closed?.stop()])
  })

  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'shh_version' })
  const call = (node: ParleyNode, origin: string) =>
    fetch(urlOf(node), {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', Origin: origin },
    })
  const preflight = (node: ParleyNode, origin: string) =>
    fetch(urlOf(node), {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    })

  it('answers a listed origin with Access-Control-Allow-Origin, and others without', async () => {
    const allowed = await call(listed, 'https://app.example')
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(await allowed.json()).toMatchObject({ result: '6.0' })
    const other = await call(listed, 'https://evil.example')
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    await other.text()
    const star = await call(open, 'https://evil.example')
    expect(star.headers.get('access-control-allow-origin')).toBe('*')
    await star.text()
    const none = await call(closed, 'https://app.example')
    expect(none.headers.get('access-control-allow-origin')).toBeNull()
    await none.text()
  })

  it('answers preflights for listed origins, and leaves OPTIONS a 405 without a list', async () => {
    const ok = await preflight(listed, 'https://app.example')
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, GET')
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type')
    const refused = await preflight(listed, 'https://evil.example')
    expect(refused.status).toBe(204)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    expect((await preflight(closed, 'https://app.example')).status).toBe(405)
  })
})
