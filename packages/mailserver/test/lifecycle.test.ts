import { encodeEnvelope, topicFromName, topicToHex } from '@parley/envelope'
import { messageArchive } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FakeNetwork } from './fake-protocol.ts'
import {
  archiveAll,
  clientNode,
  enodeOf,
  envelopeAt,
  idOf,
  serverNode,
  stopsAfterEach,
  until,
} from './helpers.ts'

const A = topicFromName('parley-a')
const B = topicFromName('parley-b')
const T0 = 1_700_000_000
const SERVER = idOf(0x5e)
const stops = stopsAfterEach()

describe('mailserver lifecycle and sources', () => {
  it('archives what a protocol announces with envelope:accepted ', async () => {
    const { node, protocol } = await serverNode(new FakeNetwork(), SERVER)
    stops.push(() => node.stop())
    const envelope = encodeEnvelope(await envelopeAt(A, T0))
    protocol.dispatchEvent(new CustomEvent('envelope:accepted', { detail: { envelope } }))
    protocol.dispatchEvent(new CustomEvent('envelope:accepted', { detail: { envelope: 'not bytes' } }))
    await until(async () => (await node.get(messageArchive).count()) === 1, 'archived')
    await node.stop()
    const later = encodeEnvelope(await envelopeAt(A, T0 + 1))
    protocol.dispatchEvent(new CustomEvent('envelope:accepted', { detail: { envelope: later } }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await node.get(messageArchive).count()).toBe(1)
  })

  it('a stopped mailserver no longer answers requests', async () => {
    const network = new FakeNetwork()
    const server = await serverNode(network, SERVER)
    await archiveAll(server.server, [await envelopeAt(A, T0)])
    await server.server.stop()
    stops.push(() => server.node.stop())
    const { node, client } = await clientNode(network, idOf(0xcc), {
      mailservers: [enodeOf(SERVER)],
      requestTimeoutMs: 50,
      now: () => T0 + 10,
    })
    stops.push(() => node.stop())
    await expect(client.requestHistory({ topics: [topicToHex(A)], from: T0 })).rejects.toMatchObject({
      name: 'MailserverUnavailableError',
    })
  })

  it('serialises concurrent requests to one mailserver; both complete', async () => {
    const network = new FakeNetwork()
    const server = await serverNode(network, SERVER)
    stops.push(() => server.node.stop())
    await archiveAll(server.server, [await envelopeAt(A, T0), await envelopeAt(B, T0 + 1)])
    const { node, client } = await clientNode(network, idOf(0xcc), {
      mailservers: [enodeOf(SERVER)],
      now: () => T0 + 10,
    })
    stops.push(() => node.stop())
    const [a, b] = await Promise.all([
      client.requestHistory({ topics: [topicToHex(A)], from: T0 }),
      client.requestHistory({ topics: [topicToHex(B)], from: T0 }),
    ])
    expect([a.envelopes, b.envelopes]).toEqual([1, 1])
  })

  it('ignores request-complete and p2p message junk from its mailservers', async () => {
    const network = new FakeNetwork()
    const server = await serverNode(network, SERVER)
    stops.push(() => server.node.stop())
    const { node, client, protocol } = await clientNode(network, idOf(0xcc), {
      mailservers: [enodeOf(SERVER)],
      now: () => T0 + 10,
    })
    stops.push(() => node.stop())
    let junk = 0
    // While the request is in flight (the server has just received it), junk arrives first.
    server.protocol.addEventListener('p2p:request', () =>
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (payload) => {
          junk++
          protocol.safeDispatchEvent('p2p:request-complete', { peer: SERVER, payload })
          protocol.safeDispatchEvent('p2p:message', { peer: idOf(0x99), envelopes: [payload] })
        }),
        { numRuns: 200 },
      ),
    )
    const pending = client.requestHistory({ topics: [topicToHex(A)], from: T0 })
    expect(await pending).toMatchObject({ envelopes: 0, pages: 1 })
    expect(junk).toBe(200)
  })
})
