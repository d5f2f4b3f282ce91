import { createNode } from '@parley/core'
import { InvalidConfigError, MissingCapabilityError } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'
import { mailserver, mailserverClient, mailserverClientSettings, mailserverSettings } from '../src/index.ts'
import { FakeNetwork, FakeV1 } from './fake-protocol.ts'
import { clientNode, enodeOf, fakeHostPlugin, idOf, until } from './helpers.ts'

const ENODE = enodeOf(idOf(1))

describe('options', () => {
  it.each([
    [{ password: '' }],
    [{ privateKey: new Uint8Array(31) }],
    [{ minRequestPow: -1 }],
    [{ maxRangeSeconds: 1.5 }],
    [{ rateLimit: { requests: 0, windowMs: 1000 } }],
    [{ retention: { maxCount: 0 } }],
    [{ retention: { intervalMs: -5 } }],
  ])('the server refuses %j', (init) => {
    expect(() => mailserver(init)).toThrow(InvalidConfigError)
  })

  it('the server defaults to status-go: default password, 24 h, no PoW check', () => {
    const settings = mailserverSettings()
    expect(settings).toMatchObject({
      password: 'status-offline-inbox',
      maxRangeSeconds: 86_400,
      minRequestPow: 0,
    })
    expect(mailserverSettings({ privateKey: new Uint8Array(32).fill(1) }).password).toBeUndefined()
  })

  it.each([
    [{ mailservers: [] }],
    [{ mailservers: ['enode://nothex@127.0.0.1:1'] }],
    [{ mailservers: [ENODE], pageLimit: 1001 }],
    [{ mailservers: [ENODE], requestTimeoutMs: 0 }],
    [{ mailservers: [ENODE], protocol: 'waku2' as 'waku' }],
    [{ mailservers: [ENODE], signingKey: new Uint8Array(3) }],
  ])('the client refuses %j', (init) => {
    expect(() => mailserverClient(init)).toThrow(InvalidConfigError)
  })

  it('the client defaults to status-go: 30 s, two failures, 1000 per page, 2020 layout', () => {
    expect(mailserverClientSettings({ mailservers: [ENODE] })).toMatchObject({
      requestTimeoutMs: 30_000,
      maxFailures: 2,
      pageLimit: 1000,
      layout: '2020',
      password: 'status-offline-inbox',
    })
  })

  it('a node without Whisper or Waku v1 cannot run either plugin', async () => {
    const server = createNode({
      store: memoryStore(),
      services: { m: mailserver() },
      logger: { level: 'silent' },
    })
    await expect(server.start()).rejects.toThrow(/neither Whisper/)
    const client = createNode({
      transports: [fakeHostPlugin(new FakeNetwork())],
      services: { c: mailserverClient({ mailservers: [ENODE] }) },
      logger: { level: 'silent' },
    })
    const error = (await client.start().catch((e: unknown) => e)) as Error
    const cause = error instanceof MissingCapabilityError ? error : error.cause
    expect(cause).toBeInstanceOf(MissingCapabilityError)
    expect(cause).toMatchObject({ plugin: 'mailserver-client', capability: 'whisper' })
  })

  it('stopping the client ends a request in flight with AbortError', async () => {
    const network = new FakeNetwork()
    network.silent.add(idOf(1))
    const { node, client, protocol } = await clientNode(network, idOf(2), {
      mailservers: [ENODE],
      requestTimeoutMs: 10_000,
    })
    new FakeV1(network, idOf(1))
    const pending = client.requestHistory({ topics: ['0x01020304'], from: 0, to: 10 })
    // In flight once the request is on the wire, however long a loaded machine takes to get there.
    await until(() => protocol.sent.some((packet) => packet.code === 126), 'request sent')
    await node.stop()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})
