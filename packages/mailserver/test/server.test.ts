import { bytesToHex, equalBytes, generatePrivateKey } from '@parley/crypto'
import {
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  fullBloom,
  topicFromName,
  topicToBloom,
} from '@parley/envelope'
import { messageArchive } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  decodeRequestCompletePayload,
  encodeCursor,
  encodeMessagesRequest,
  type MailRequest,
  mailserverSymKey,
  makeRequestEnvelope,
  type RequestLayout,
  requestCompletedPayload,
} from '../src/index.ts'
import type { FakeV1 } from './fake-protocol.ts'
import {
  archiveAll,
  envelopeAt,
  idOf,
  metric,
  secp256k1,
  serverWithRequester,
  stopsAfterEach,
  until,
} from './helpers.ts'

const A = topicFromName('parley-a')
const B = topicFromName('parley-b')
const T0 = 1_700_000_000
const SERVER = idOf(0x5e)
const symKey = await mailserverSymKey()
const stops = stopsAfterEach()

async function setup(init = {}) {
  return serverWithRequester(stops, SERVER, init)
}

function request(fields: Partial<MailRequest> = {}): MailRequest {
  return {
    lower: T0,
    upper: T0 + 3600,
    bloom: new Uint8Array(0),
    topics: [A],
    limit: 100,
    cursor: new Uint8Array(0),
    batch: true,
    ...fields,
  }
}

async function sealed(
  fields: Partial<MailRequest> = {},
  layout: RequestLayout = '2020',
  key: object = { symKey },
) {
  return makeRequestEnvelope(
    { request: request(fields), layout, signingKey: generatePrivateKey(), pow: 0, ...key },
    { secp256k1, now: T0 + 3600 },
  )
}

/** Sends a p2p request and collects what comes back until request-complete. */
async function ask(requester: FakeV1, payload: Uint8Array) {
  const packets: Uint8Array[][] = []
  const completes: Uint8Array[] = []
  const onMessage = (event: CustomEvent<{ envelopes: Uint8Array[] }>) => packets.push(event.detail.envelopes)
  const onComplete = (event: CustomEvent<{ payload: Uint8Array }>) => completes.push(event.detail.payload)
  requester.addEventListener('p2p:message', onMessage)
  requester.addEventListener('p2p:request-complete', onComplete)
  await requester.sendP2PRequest(SERVER, payload)
  await until(() => completes.length > 0, 'request-complete arrived')
  requester.removeEventListener('p2p:message', onMessage)
  requester.removeEventListener('p2p:request-complete', onComplete)
  const complete = decodeRequestCompletePayload(completes[0]!)
  return {
    packets,
    envelopes: packets.flat().map((bytes) => decodeEnvelope(bytes)),
    complete,
    raw: completes[0]!,
  }
}

async function sample(count: number, topic = A, start = T0): Promise<Envelope[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => envelopeAt(topic, start + 10 * i)))
}

describe('mailserver: serving history', () => {
  it('serves matching envelopes newest first, then request-complete exactly as status-go encodes it', async () => {
    const { server, requester } = await setup()
    const mine = await sample(3)
    expect(await archiveAll(server, [...mine, ...(await sample(2, B))])).toBe(5)
    const { envelope, requestId } = await sealed()
    const reply = await ask(requester, encodeEnvelope(envelope))
    const hashes = reply.envelopes.map((e) => bytesToHex(envelopeHash(e)))
    expect(hashes).toEqual(mine.reverse().map((e) => bytesToHex(envelopeHash(e))))
    const last = envelopeHash(mine[mine.length - 1]!)
    expect(bytesToHex(reply.raw)).toBe(
      bytesToHex(requestCompletedPayload({ requestId, lastEnvelopeHash: last, cursor: new Uint8Array(0) })),
    )
    expect(reply.packets).toHaveLength(1) // batched: one bundle
  })

  it('pages with a cursor that names the last envelope sent; a full last page still carries one', async () => {
    const { server, requester } = await setup()
    const all = await sample(4)
    await archiveAll(server, all)
    const seen: string[] = []
    let cursor: Uint8Array = new Uint8Array(0)
    const cursors: number[] = []
    do {
      const { envelope } = await sealed({ limit: 2, cursor })
      const reply = await ask(requester, encodeEnvelope(envelope))
      if (reply.complete.kind !== 'completed') throw new Error('refused')
      seen.push(...reply.envelopes.map((e) => bytesToHex(envelopeHash(e))))
      cursor = reply.complete.cursor
      cursors.push(cursor.length)
      if (cursor.length > 0) {
        const lastSent = reply.envelopes[reply.envelopes.length - 1]!
        expect(bytesToHex(cursor)).toBe(
          bytesToHex(
            encodeCursor({ timestamp: lastSent.expiry - lastSent.ttl, hash: envelopeHash(lastSent) }),
          ),
        )
      }
    } while (cursor.length > 0)
    expect(cursors).toEqual([36, 36, 0])
    expect(new Set(seen).size).toBe(4)
  })

  it('matches by bloom when the request names no topics', async () => {
    const { server, requester } = await setup()
    await archiveAll(server, [...(await sample(2, A)), ...(await sample(3, B))])
    const byBloom = await ask(
      requester,
      encodeEnvelope((await sealed({ topics: [], bloom: topicToBloom(B) })).envelope),
    )
    expect(byBloom.envelopes.map((e) => bytesToHex(e.topic))).toEqual(['', '', ''].map(() => bytesToHex(B)))
    const everything = await ask(
      requester,
      encodeEnvelope((await sealed({ topics: [], bloom: fullBloom(), batch: false }, 'spec')).envelope),
    )
    expect(everything.envelopes).toHaveLength(5)
  })

  it.each(['2019', 'spec', 'waku-mail', 'binary'] as const)('reads the %s layout', async (layout) => {
    const { server, requester } = await setup()
    await archiveAll(server, await sample(2))
    const topics = layout === 'waku-mail' ? [A] : []
    const { envelope } = await sealed({ topics, bloom: topicToBloom(A), batch: false }, layout)
    const reply = await ask(requester, encodeEnvelope(envelope))
    expect(reply.complete.kind).toBe('completed')
    expect(reply.envelopes).toHaveLength(2)
  })

  it('sends one packet per envelope unless batched, and splits bundles at the protocol size cap', async () => {
    const { server, requester, protocol } = await setup()
    await archiveAll(server, await Promise.all([0, 1, 2, 3].map((i) => envelopeAt(A, T0 + i, 400))))
    expect(
      (await ask(requester, encodeEnvelope((await sealed({ batch: false })).envelope))).packets,
    ).toHaveLength(4)
    protocol.setMaxMessageSize(1000)
    const split = await ask(requester, encodeEnvelope((await sealed()).envelope))
    expect(split.packets.map((packet) => packet.length)).toEqual([2, 2])
  })

  it('accepts requests encrypted to its key when configured with one, and then refuses the password', async () => {
    const privateKey = generatePrivateKey()
    const { server, requester } = await setup({ privateKey })
    await archiveAll(server, await sample(1))
    const toKey = await sealed({}, '2020', { serverPublicKey: secp256k1.getPublicKey(privateKey, false) })
    expect((await ask(requester, encodeEnvelope(toKey.envelope))).envelopes).toHaveLength(1)
    const byPassword = await ask(requester, encodeEnvelope((await sealed()).envelope))
    expect(byPassword.complete.kind).toBe('failed')
  })

  it('serves the non-envelope MessagesRequest and echoes its id', async () => {
    const { server, requester } = await setup()
    await archiveAll(server, await sample(2))
    const id = new Uint8Array(32).fill(7)
    const payload = encodeMessagesRequest({
      id,
      from: T0,
      to: T0 + 100,
      limit: 10,
      cursor: new Uint8Array(0),
      bloom: new Uint8Array(0),
      topics: [A],
    })
    const reply = await ask(requester, payload)
    expect(reply.complete.kind === 'completed' && equalBytes(reply.complete.requestId, id)).toBe(true)
    expect(reply.envelopes).toHaveLength(2)
  })

  it('archives each envelope once and skips bytes that are no envelope', async () => {
    const { server, node } = await setup()
    const [one] = await sample(1)
    expect(await server.archive([encodeEnvelope(one!), encodeEnvelope(one!), new Uint8Array([0xc0])])).toBe(1)
    expect(await node.get(messageArchive).count()).toBe(1)
    expect(await metric(node, 'parley_mailserver_archived_envelopes_total', 'result="malformed"')).toBe(1)
    expect(await metric(node, 'parley_mailserver_archived_envelopes_total', 'result="duplicate"')).toBe(1)
  })

  it('counts requests, envelopes and bytes served, and emits mailserver:served', async () => {
    const { server, requester, node } = await setup()
    const [one] = await sample(1)
    await archiveAll(server, [one!])
    const served: unknown[] = []
    node.events.addEventListener('mailserver:served', (event) => served.push(event.detail))
    await ask(requester, encodeEnvelope((await sealed()).envelope))
    await until(() => served.length === 1, 'served event')
    expect(await metric(node, 'parley_mailserver_requests_total', 'protocol="waku/1",result="served"')).toBe(
      1,
    )
    expect(await metric(node, 'parley_mailserver_envelopes_served_total', 'protocol="waku/1"')).toBe(1)
    expect(await metric(node, 'parley_mailserver_bytes_served_total', 'protocol="waku/1"')).toBe(
      encodeEnvelope(one!).length,
    )
    expect(await metric(node, 'parley_mailserver_request_duration_seconds_count', 'protocol="waku/1"')).toBe(
      1,
    )
  })
})
