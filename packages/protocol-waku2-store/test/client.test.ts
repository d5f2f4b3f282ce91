/** The client against hand-made servers, and the server's metrics, on raw hosts over loopback. */
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { InvalidParametersError, libp2pHost, messageArchive, NotFoundError } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeStoreQueryRequest,
  encodeStoreQueryResponse,
  historyQuery,
  STORE_CODEC,
  StoreQueryError,
  type StoreQueryRequest,
  storeQuery,
  type WakuStore,
  wakuStore,
} from '../src/index.ts'
import { serveOnce } from '../src/stream.ts'
import { CHAT, filledArchive, PUBSUB, samples } from './fixtures.ts'

const hosts: Libp2pHostService[] = []
async function host(): Promise<Libp2pHostService> {
  const started = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }).create(fakeComponents())
  await started.start()
  hosts.push(started)
  return started
}

let client: Libp2pHostService
let fake: Libp2pHostService
let fakeAddress: string
/** what the fake server answers to a request; every request it got */
let respond: (request: StoreQueryRequest) => Uint8Array = () => new Uint8Array()
const requests: StoreQueryRequest[] = []

beforeAll(async () => {
  client = await host()
  fake = await host()
  fakeAddress = fake.multiaddrs()[0] ?? ''
  await fake.handle(STORE_CODEC, (stream) =>
    serveOnce(
      stream,
      async (bytes) => {
        const request = decodeStoreQueryRequest(bytes)
        requests.push(request)
        return respond(request)
      },
      {},
    ),
  )
})

afterAll(async () => {
  await Promise.all(hosts.splice(0).map((started) => started.stop()))
})

async function drain(pages: AsyncIterable<unknown>): Promise<number> {
  let count = 0
  for await (const _page of pages) count++
  return count
}

const hash = (byte: number) => new Uint8Array(32).fill(byte)

describe('store client', () => {
  it('follows the server cursor until a page comes without one', async () => {
    requests.length = 0
    respond = (request) => {
      const page = requests.length
      return encodeStoreQueryResponse({
        requestId: request.requestId,
        statusCode: 200,
        messages: [{ messageHash: hash(page) }],
        ...(page < 3 ? { paginationCursor: hash(page) } : {}),
      })
    }
    const pages = []
    for await (const page of storeQuery(client, fakeAddress, {
      pubsubTopic: PUBSUB,
      contentTopics: [CHAT],
      pageSize: 5,
    }))
      pages.push(page.messages[0]?.messageHash[0])
    expect(pages).toEqual([1, 2, 3])
    expect(requests.map((request) => request.paginationCursor?.[0])).toEqual([undefined, 1, 2])
    expect(requests.map((request) => request.paginationLimit)).toEqual([5n, 5n, 5n])
    expect(new Set(requests.map((request) => request.requestId)).size).toBe(3)
    expect(requests[0]).toMatchObject({ includeData: true, paginationForward: false, pubsubTopic: PUBSUB })
  })

  it('rejects error statuses, unreadable responses and answers to other requests with StoreQueryError', async () => {
    const cases: Array<[(request: StoreQueryRequest) => Uint8Array, number]> = [
      [
        (request) =>
          encodeStoreQueryResponse({
            requestId: request.requestId,
            statusCode: 503,
            statusDesc: 'x',
            messages: [],
          }),
        503,
      ],
      // field 1 claims 5 bytes that are not there
      [() => Uint8Array.of(0x0a, 0x05), 300],
      [() => encodeStoreQueryResponse({ requestId: 'not-yours', statusCode: 200, messages: [] }), 300],
      // no status at all
      [(request) => encodeStoreQueryResponse({ requestId: request.requestId, messages: [] }), 0],
    ]
    for (const [response, status] of cases) {
      respond = response
      const error = await storeQuery(client, fakeAddress, {})
        .next()
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreQueryError)
      expect(error).toMatchObject({ code: 'ERR_STORE_QUERY', statusCode: status })
    }
  })

  it('refuses peers it cannot reach or name', async () => {
    await expect(storeQuery(client, '/ip4/127.0.0.1/tcp/1', {}).next()).rejects.toBeInstanceOf(
      InvalidParametersError,
    )
    await expect(
      storeQuery(client, '16Uiu2HAmVPHhV3TTRSKsNY7z5PnR8zJQrrws4SAGsFa2EVX8T8Ax', {}).next(),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(storeQuery(client, fakeAddress, { pageSize: 0 }).next()).rejects.toBeInstanceOf(
      InvalidParametersError,
    )
  })
})

describe('store server metrics', () => {
  let store: WakuStore
  let components: FakeComponents
  let address: string

  beforeAll(async () => {
    const server = await host()
    components = fakeComponents({
      services: [
        [libp2pHost, server],
        [messageArchive, await filledArchive(samples(3))],
      ],
    })
    store = wakuStore().create(components)
    await store.start()
    address = server.multiaddrs()[0] ?? ''
  })

  afterAll(async () => {
    await store.stop()
  })

  it('counts queries by protocol and status', async () => {
    await drain(storeQuery(client, address, { pubsubTopic: PUBSUB }))
    await storeQuery(client, address, { contentTopics: [CHAT] })
      .next()
      .catch(() => {})
    await drain(historyQuery(client, address, { pubsubTopic: PUBSUB }))
    expect(components.recorded.get('parley_waku2_store_queries_total{protocol="v3",status="200"}')).toBe(1)
    expect(components.recorded.get('parley_waku2_store_queries_total{protocol="v3",status="400"}')).toBe(1)
    expect(components.recorded.get('parley_waku2_store_queries_total{protocol="v2beta4",status="200"}')).toBe(
      1,
    )
  })
})
