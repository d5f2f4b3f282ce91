import { bytesToHex } from '@parley/crypto'
import { decodeEnvelope, envelopeHash, topicFromName, topicToHex } from '@parley/envelope'
import { describe, expect, it } from 'vitest'
import {
  type HistorySyncedDetail,
  MailserverUnavailableError,
  mailserverSymKey,
  openRequestEnvelope,
  REQUEST_TOPIC,
} from '../src/index.ts'
import { FakeNetwork } from './fake-protocol.ts'
import {
  archiveAll,
  clientNode,
  enodeOf,
  envelopeAt,
  idOf,
  metric,
  secp256k1,
  serverNode,
  stopsAfterEach,
} from './helpers.ts'

const A = topicFromName('parley-a')
const B = topicFromName('parley-b')
const T0 = 1_700_000_000
const DAY = 24 * 3600
const LIVE = idOf(0x11)
const DEAD = idOf(0x22)
const stops = stopsAfterEach()

async function world(options: { liveInit?: object; clientInit?: object; servers?: string[] } = {}) {
  const network = new FakeNetwork()
  const live = await serverNode(network, LIVE, options.liveInit)
  stops.push(() => live.node.stop())
  // Older than a day, so the request spans several 24 h windows.
  const history = await Promise.all(
    Array.from({ length: 7 }, (_, i) => envelopeAt(i % 2 === 0 ? A : B, T0 - 2 * DAY + i * 12_000)),
  )
  await archiveAll(live.server, history)
  const client = await clientNode(network, idOf(0xcc), {
    mailservers: options.servers ?? [enodeOf(LIVE)],
    // Only a silent mailserver ever waits this out; a loaded machine must not make LIVE time out.
    requestTimeoutMs: 10_000,
    pageLimit: 2,
    now: () => T0,
    ...options.clientInit,
  })
  stops.push(() => client.node.stop())
  const synced: HistorySyncedDetail[] = []
  client.node.events.addEventListener('history:synced', (event) => synced.push(event.detail))
  return { network, live, history, ...client, synced }
}

describe('mailserver client', () => {
  it('fetches a range longer than a day, page by page, handing on each new envelope once', async () => {
    const { client, history, synced, protocol } = await world()
    const got: string[] = []
    const result = await client.requestHistory({
      topics: [topicToHex(A)],
      from: T0 - 3 * DAY,
      onEnvelope: (_bytes, hash) => got.push(hash),
    })
    const expected = history.filter((e) => bytesToHex(e.topic) === bytesToHex(A))
    expect(got.sort()).toEqual(expected.map((e) => `0x${bytesToHex(envelopeHash(e))}`).sort())
    expect(result).toMatchObject({ envelopes: 4, duplicates: 0, to: T0, mailserver: enodeOf(LIVE) })
    expect(result.pages).toBeGreaterThanOrEqual(4) // 4 day windows, one with a cursor
    expect(protocol.isTrustedPeer(LIVE)).toBe(true)
    expect(synced).toEqual([
      {
        topics: [topicToHex(A)],
        from: T0 - 3 * DAY,
        to: T0,
        status: 'synced',
        envelopes: 4,
        mailserver: enodeOf(LIVE),
      },
    ])
    expect(client.historyStatus([topicToHex(A)])[0]).toMatchObject({ syncedTo: T0, lastError: undefined })
  })

  it('counts envelopes it has already seen as duplicates and does not hand them on again', async () => {
    const { client, node } = await world()
    const query = { topics: [topicToHex(A), topicToHex(B)], from: T0 - 3 * DAY }
    expect((await client.requestHistory(query)).envelopes).toBe(7)
    let handed = 0
    const again = await client.requestHistory({ ...query, onEnvelope: () => handed++ })
    expect(again).toMatchObject({ envelopes: 0, duplicates: 7 })
    expect(handed).toBe(0)
    expect(await metric(node, 'parley_mailserver_client_envelopes_total', 'result="duplicate"')).toBe(7)
    expect(
      await metric(node, 'parley_mailserver_client_latency_seconds_count', 'stage="complete"'),
    ).toBeGreaterThan(0)
    expect(
      await metric(node, 'parley_mailserver_client_latency_seconds_count', 'stage="first-envelope"'),
    ).toBeGreaterThan(0)
  })

  it('fails over after two timeouts from a silent (faster) mailserver and grey-lists it', async () => {
    const made = await world({
      servers: [enodeOf(DEAD), enodeOf(LIVE)],
      // Short enough to wait out twice, long enough for LIVE to answer on a loaded machine.
      clientInit: {
        requestTimeoutMs: 2000,
        ping: async (address: { id: string }) => (address.id === DEAD ? 1 : 5),
      },
    })
    // DEAD exists on the network (so it can be dialled) but never answers.
    const dead = await serverNode(made.network, DEAD)
    stops.push(() => dead.node.stop())
    made.network.silent.add(DEAD)
    const result = await made.client.requestHistory({ topics: [topicToHex(A)], from: T0 - DAY / 2 })
    expect(result.mailserver).toBe(enodeOf(LIVE))
    const status = made.client.mailservers()
    expect(status.find((s) => s.id === DEAD)?.greylistedUntil).toBeGreaterThan(Date.now())
    expect(status.find((s) => s.id === LIVE)?.active).toBe(true)
    expect(await metric(made.node, 'parley_mailserver_client_failovers_total')).toBe(1)
    expect(await metric(made.node, 'parley_mailserver_client_requests_total', 'result="timeout"')).toBe(2)
  })

  it('fails over from a mailserver that refuses (ERROR=) to one that serves', async () => {
    const made = await world({
      servers: [enodeOf(DEAD), enodeOf(LIVE)],
      clientInit: { ping: async (a: { id: string }) => (a.id === DEAD ? 1 : 5) },
    })
    const picky = await serverNode(made.network, DEAD, { password: 'another-password' })
    stops.push(() => picky.node.stop())
    const result = await made.client.requestHistory({ topics: [topicToHex(A)], from: T0 - DAY / 2 })
    expect(result.mailserver).toBe(enodeOf(LIVE))
    expect(await metric(made.node, 'parley_mailserver_client_requests_total', 'result="refused"')).toBe(2)
  })

  it('says so when no mailserver can serve: typed error, history:synced failed, lastError', async () => {
    const made = await world({ servers: [enodeOf(DEAD)] })
    const error = await made.client
      .requestHistory({ topics: [topicToHex(A)], from: T0 - 10 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailserverUnavailableError)
    expect((error as MailserverUnavailableError).code).toBe('ERR_MAILSERVER_UNAVAILABLE')
    expect(made.synced).toHaveLength(1)
    expect(made.synced[0]).toMatchObject({ status: 'failed', envelopes: 0 })
    expect(made.synced[0]?.error).toMatch(/connection refused/)
    expect(made.client.historyStatus([topicToHex(A)])[0]?.lastError).toMatch(/connection refused/)
    // Both failures grey-listed it, so the next attempt fails at once.
    const again = await made.client
      .requestHistory({ topics: [topicToHex(A)], from: T0 - 10 })
      .catch((e: unknown) => e)
    expect((again as Error).message).toMatch(/grey-listed/)
  })

  it('rejects bad queries and honours abort', async () => {
    const { client } = await world()
    await expect(client.requestHistory({ topics: [], from: 0 })).rejects.toThrow(/topic/)
    await expect(client.requestHistory({ topics: [topicToHex(A)], from: T0 + 1, to: T0 })).rejects.toThrow(
      /from/,
    )
    await expect(client.requestHistory({ topics: ['nope'], from: 0 })).rejects.toThrow(/topic/)
    const controller = new AbortController()
    controller.abort()
    await expect(
      client.requestHistory({ topics: [topicToHex(A)], from: T0 - 10 }, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('sends a status-go request envelope: signed, sealed with the password key, 2020 layout', async () => {
    const { client, protocol } = await world()
    await client.requestHistory({ topics: [topicToHex(A)], from: T0 - 10 })
    const packet = protocol.sent.find((sent) => sent.code === 126)
    expect(packet?.to).toBe(LIVE)
    const envelope = decodeEnvelope(packet!.payload[0]!)
    expect(envelope).toMatchObject({ ttl: 50, topic: REQUEST_TOPIC })
    const opened = openRequestEnvelope(envelope, { secp256k1, symKey: await mailserverSymKey(), now: T0 })
    expect(opened.request).toMatchObject({
      layout: '2020',
      lower: T0 - 10,
      upper: T0,
      limit: 2,
      batch: true,
      topics: [A],
    })
    expect(opened.signer).toHaveLength(65)
  })
})
