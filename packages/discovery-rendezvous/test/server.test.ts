import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { addressEntries, signEnr } from '@parley/enr'
import { LimitExceededError, TimeoutError } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import {
  encodeMessage,
  MessageType,
  RENDEZVOUS_PROTOCOL,
  RendezvousRequestError,
  type RendezvousStream,
  rendezvousServer,
  Status,
  topicBytes,
} from '../src/index.ts'
import { exchange } from '../src/request.ts'
import { hostWithComponents, ManualClock, stopHosts } from './helpers.ts'

const { secp256k1 } = await loadCrypto()
const record = (key = generatePrivateKey(), tcp = 30303) =>
  signEnr({ seq: 1, entries: addressEntries({ ip: '127.0.0.1', tcp, udp: tcp }) }, key, secp256k1).bytes

afterEach(stopHosts)

async function serverAndClient(init: Parameters<typeof rendezvousServer>[0] = {}) {
  const clock = new ManualClock()
  const served = await hostWithComponents()
  const server = rendezvousServer({ clock, ...init }).create(served.components)
  await server.start()
  const client = await hostWithComponents()
  const refused: string[] = []
  served.components.events.addEventListener('rendezvous:refused', (event) => {
    expect(event.detail.error).toBeInstanceOf(Error)
    refused.push(event.detail.reason)
  })
  const send = (request: Parameters<typeof exchange>[2], timeoutMs = 5000) =>
    exchange(client.host, served.address, request, { timeoutMs, clock: new ManualClock(), onBytes: () => {} })
  const rawStream = async () => {
    await client.host.dial(served.address)
    const [connection] = client.host.node.getConnections()
    return (await connection?.newStream(RENDEZVOUS_PROTOCOL)) as unknown as RendezvousStream
  }
  return { clock, server, served, client, send, rawStream, refused }
}

const register = (topic: string, bytes: Uint8Array, ttlNs = 10_000_000_000n) =>
  ({ type: MessageType.REGISTER, topic: topicBytes(topic), record: bytes, ttlNs }) as const
const discover = (topic: string, limit = 10) =>
  ({ type: MessageType.DISCOVER, topic: topicBytes(topic), limit }) as const

describe('rendezvous server on a loopback libp2p host', () => {
  it('registers, discovers, caps the TTL, and lets records expire after TTL + 500 ms', async () => {
    const { clock, send, served } = await serverAndClient()
    const mine = record()
    expect(await send(register('whisper', mine))).toEqual({
      type: MessageType.REGISTER_RESPONSE,
      status: Status.OK,
      message: '',
    })
    const found = await send(discover('whisper'))
    expect(found).toMatchObject({ type: MessageType.DISCOVER_RESPONSE, status: Status.OK, records: [mine] })
    expect((await send(discover('whispermail'))) as { records: unknown[] }).toMatchObject({ records: [] })

    const tooLong = send(register('whisper', record(), 20_000_000_001n))
    await expect(tooLong).rejects.toBeInstanceOf(RendezvousRequestError)
    await expect(tooLong).rejects.toMatchObject({
      status: Status.E_INVALID_TTL,
      code: 'ERR_RENDEZVOUS_REFUSED',
    })

    clock.advance(10_499)
    expect(await send(discover('whisper'))).toMatchObject({ records: [mine] })
    clock.advance(1)
    expect(await send(discover('whisper'))).toMatchObject({ records: [] })
    expect(
      served.components.recorded.get('parley_rendezvous_server_requests_total{type="1",status="0"}'),
    ).toBe(1)
  })

  it('answers REMOTEIP with the address it sees', async () => {
    const { send } = await serverAndClient()
    expect(await send({ type: MessageType.REMOTEIP })).toEqual({
      type: MessageType.REMOTEIP_RESPONSE,
      status: Status.OK,
      ip: '127.0.0.1',
    })
  })

  it('limits the records one peer holds per topic', async () => {
    const { send, server } = await serverAndClient({ maxRegistrationsPerPeer: 2, burst: 100 })
    const key = generatePrivateKey()
    const results = []
    for (let n = 0; n < 6; n++) {
      results.push(
        await send(register('whisper', record())).then(
          () => 'ok',
          (e: RendezvousRequestError) => e.status,
        ),
      )
    }
    expect(results).toEqual(['ok', 'ok', 200, 200, 200, 200])
    // Re-registering one's own record replaces it; another topic has its own allowance.
    await send(register('whispermail', record(key)))
    await send(register('whispermail', record(key, 30304)))
    expect(server.registry.size).toBe(3)
  })

  it('survives a request flood: refuses past the rate with a typed error and a metric, then serves again', async () => {
    const { clock, send, served, refused, server } = await serverAndClient({
      requestsPerSecond: 5,
      burst: 10,
    })
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => send(register('whisper', record()))),
    )
    // Admitted: at most the burst; of those, two records are kept (the per-peer limit), the rest refused with a status.
    const answered = results.filter(
      (r) => r.status === 'fulfilled' || r.reason instanceof RendezvousRequestError,
    ).length
    expect(answered).toBeLessThanOrEqual(10)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    expect(refused.filter((reason) => reason === 'rate' || reason === 'streams').length).toBe(40 - answered)
    const rate = served.components.recorded.get('parley_rendezvous_server_refused_total{reason="rate"}') ?? 0
    const streams =
      served.components.recorded.get('parley_rendezvous_server_refused_total{reason="streams"}') ?? 0
    expect(rate + streams).toBe(40 - answered)
    expect(server.registry.size).toBe(2)
    // One at a time, the bucket runs dry: the clock stands still, so nothing refills it.
    let answeredInTurn = 0
    for (let n = 0; n < 15; n++) {
      answeredInTurn += await send(discover('whisper')).then(
        () => 1,
        () => 0,
      )
    }
    expect(answeredInTurn).toBe(10 - answered)
    expect(served.components.recorded.get('parley_rendezvous_server_refused_total{reason="rate"}')).toBe(
      rate + 15 - answeredInTurn,
    )
    // The bucket refills with time: the same peer is served again.
    clock.advance(1000)
    await expect(send(discover('whisper'))).resolves.toMatchObject({ status: Status.OK })
  })

  it('drops garbage, oversized items and silent streams; answers a bad body with E_INVALID_CONTENT', async () => {
    const { clock, rawStream, refused, send } = await serverAndClient({
      maxItemBytes: 1024,
      burst: 100,
    })
    const garbage = await rawStream()
    await garbage.sink([Uint8Array.of(0xff, 0xff, 0xff)])
    const oversized = await rawStream()
    await oversized.sink([Uint8Array.of(0x01, 0xb9, 0xff, 0xff)])
    await expect.poll(() => refused.filter((r) => r === 'malformed').length, { timeout: 10_000 }).toBe(2)

    const silent = await rawStream()
    void silent.sink((async function* () {})()).catch(() => {})
    // The stream shows up before its handler has armed the read timer, so wait for the timer
    // itself (the purge timer is the other one); advancing earlier would pass it by.
    await expect.poll(() => clock.pending, { timeout: 10_000 }).toBe(2)
    clock.advance(5000)
    await expect.poll(() => refused, { timeout: 10_000 }).toContain('timeout')

    const badBody = await rawStream()
    await badBody.sink([Uint8Array.from([...encodeMessage(discover('whisper')).subarray(0, 1), 0xc1, 0x80])])
    const answer: number[] = []
    for await (const chunk of badBody.source) answer.push(...chunk.subarray())
    expect(answer).toEqual([
      ...encodeMessage({ type: MessageType.DISCOVER_RESPONSE, status: 104, message: '', records: [] }),
    ])
    // Still serving.
    await expect(send(discover('whisper'))).resolves.toMatchObject({ status: Status.OK })
  })

  it('times out a request the server never answers, with TimeoutError', async () => {
    const clock = new ManualClock()
    const mute = await hostWithComponents()
    await mute.host.handle(RENDEZVOUS_PROTOCOL, () => new Promise(() => {}))
    const client = await hostWithComponents()
    const pending = exchange(client.host, mute.address, discover('whisper'), {
      timeoutMs: 1000,
      clock,
      onBytes: () => {},
    })
    const failed = expect(pending).rejects.toBeInstanceOf(TimeoutError)
    await expect.poll(() => clock.pending, { timeout: 10_000 }).toBe(2)
    clock.advance(1000)
    await failed
  })

  it('uses LimitExceededError for floods', async () => {
    const { send, served } = await serverAndClient({ requestsPerSecond: 1, burst: 1 })
    const errors: Error[] = []
    served.components.events.addEventListener('rendezvous:refused', (event) =>
      errors.push(event.detail.error),
    )
    await send(discover('whisper'))
    await expect(send(discover('whisper'))).rejects.toThrow()
    expect(errors[0]).toBeInstanceOf(LimitExceededError)
    expect(errors[0]).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' })
  })
})
