import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import {
  encodeMessage,
  handleRequest,
  invalidContentResponse,
  MAX_TTL_NS,
  MessageType,
  RendezvousDecodeError,
  RendezvousReader,
  RendezvousRegistry,
  Status,
  topicBytes,
} from '@parley/discovery-rendezvous'
import { addressEntries, decodeEnr, encodeEnr, signEnr } from '@parley/enr'
import { InvalidConfigError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'

const { secp256k1 } = await loadCrypto()
const whisper = topicBytes('whisper')
const SECOND_NS = 1_000_000_000n

function record(seq = 1): Uint8Array {
  return signEnr(
    { seq, entries: addressEntries({ ip: '10.0.0.1', tcp: 30303, udp: 30303 }) },
    generatePrivateKey(),
    secp256k1,
  ).bytes
}

function setup(init: { maxRecords?: number; maxPerOwner?: number; random?: () => number } = {}) {
  const clock = { now: 1_000_000 }
  const registry = new RendezvousRegistry({ secp256k1, now: () => clock.now, ...init })
  return { clock, registry }
}

describe('RendezvousRegistry per-owner limit', () => {
  it('counts live records per owner and topic, frees the allowance on expiry, and lets an owner replace its own', () => {
    const { clock, registry } = setup({ maxPerOwner: 2 })
    const mine = generatePrivateKey()
    const signed = (seq: number) =>
      signEnr({ seq, entries: addressEntries({ ip: '10.0.0.1', tcp: 1, udp: 1 }) }, mine, secp256k1).bytes
    expect(registry.register(whisper, signed(1), 10n * SECOND_NS, 'peer-a').status).toBe(Status.OK)
    expect(registry.register(whisper, record(), 10n * SECOND_NS, 'peer-a').status).toBe(Status.OK)
    expect(registry.register(whisper, record(), 10n * SECOND_NS, 'peer-a').status).toBe(
      Status.E_NOT_AUTHORIZED,
    )
    // Replacing one's own record, another topic, another owner and an ownerless request are unaffected.
    expect(registry.register(whisper, signed(2), 10n * SECOND_NS, 'peer-a').status).toBe(Status.OK)
    expect(registry.register(topicBytes('whispermail'), record(), SECOND_NS, 'peer-a').status).toBe(Status.OK)
    expect(registry.register(whisper, record(), 10n * SECOND_NS, 'peer-b').status).toBe(Status.OK)
    expect(registry.register(whisper, record(), 10n * SECOND_NS).status).toBe(Status.OK)
    expect(registry.size).toBe(5)
    clock.now += 10_500
    expect(registry.purgeExpired()).toBe(5)
    expect(registry.register(whisper, record(), 10n * SECOND_NS, 'peer-a').status).toBe(Status.OK)
    expect(registry.register(whisper, record(), 10n * SECOND_NS, 'peer-a').status).toBe(Status.OK)
  })
})

describe('RendezvousRegistry', () => {
  it('stores a record until TTL + 500 ms have passed', () => {
    const { clock, registry } = setup()
    const enr = record()
    expect(registry.register(whisper, enr, 10n * SECOND_NS)).toEqual({ status: Status.OK, message: '' })
    clock.now += 10_499
    expect(registry.discover(whisper, 10)).toEqual([enr])
    clock.now += 1
    expect(registry.discover(whisper, 10)).toEqual([])
    expect(registry.size).toBe(0)
  })

  it('accepts a TTL of exactly 20 s and refuses one nanosecond more', () => {
    const { registry } = setup()
    expect(registry.register(whisper, record(), MAX_TTL_NS).status).toBe(Status.OK)
    expect(registry.register(whisper, record(), MAX_TTL_NS + 1n).status).toBe(Status.E_INVALID_TTL)
  })

  it('refuses topics that are empty, longer than 50 bytes or contain 0xff', () => {
    const { registry } = setup()
    expect(registry.register(new Uint8Array(0), record(), SECOND_NS).status).toBe(Status.E_INVALID_NAMESPACE)
    expect(registry.register(new Uint8Array(51).fill(0x61), record(), SECOND_NS).status).toBe(
      Status.E_INVALID_NAMESPACE,
    )
    expect(registry.register(Uint8Array.of(0x61, 0xff), record(), SECOND_NS).status).toBe(
      Status.E_INVALID_NAMESPACE,
    )
    expect(registry.register(new Uint8Array(50).fill(0x61), record(), SECOND_NS).status).toBe(Status.OK)
  })

  it('verifies the ENR signature', () => {
    const { registry } = setup()
    const enr = decodeEnr(record(), secp256k1)
    // Same signature over different content: a forged sequence number.
    const forged = encodeEnr({ ...enr, seq: enr.seq + 1n })
    expect(registry.register(whisper, forged, SECOND_NS)).toMatchObject({ status: Status.E_INVALID_ENR })
    expect(registry.register(whisper, Uint8Array.of(0xc0), SECOND_NS).status).toBe(Status.E_INVALID_ENR)
    expect(registry.size).toBe(0)
  })

  it('keeps one record per node and topic; a re-registration replaces it and extends its life', () => {
    const { clock, registry } = setup()
    const key = generatePrivateKey()
    const sign = (seq: number) => signEnr({ seq, entries: [] }, key, secp256k1).bytes
    registry.register(whisper, sign(1), 10n * SECOND_NS)
    clock.now += 5_000
    registry.register(whisper, sign(2), 10n * SECOND_NS)
    registry.register(topicBytes('whispermail'), sign(2), 10n * SECOND_NS)
    expect(registry.size).toBe(2)
    clock.now += 10_000
    expect(registry.discover(whisper, 10)).toEqual([sign(2)])
  })

  it('returns at most 10 records, a random sample driven by the injected random', () => {
    const records = Array.from({ length: 15 }, () => record())
    const first = setup({ random: () => 0 })
    const last = setup({ random: () => 0.999 })
    for (const enr of records) {
      first.registry.register(whisper, enr, SECOND_NS)
      last.registry.register(whisper, enr, SECOND_NS)
    }
    const low = first.registry.discover(whisper, 100)
    const high = last.registry.discover(whisper, 100)
    expect(low).toHaveLength(10)
    expect(low).toEqual(records.slice(0, 10))
    expect(high).toHaveLength(10)
    expect(high).not.toEqual(low)
    expect(new Set(high.map((enr) => enr.join())).size).toBe(10)
    expect(first.registry.discover(whisper, 3)).toHaveLength(3)
    expect(first.registry.discover(whisper, 0)).toEqual([])
    expect(first.registry.discover(topicBytes('other'), 10)).toEqual([])
  })

  it('refuses new registrations when full, after purging expired ones', () => {
    const { clock, registry } = setup({ maxRecords: 2 })
    registry.register(whisper, record(), SECOND_NS)
    registry.register(whisper, record(), 5n * SECOND_NS)
    expect(registry.register(whisper, record(), SECOND_NS)).toMatchObject({ status: Status.E_INTERNAL_ERROR })
    clock.now += 1_500
    expect(registry.register(whisper, record(), SECOND_NS).status).toBe(Status.OK)
    expect(registry.purgeExpired()).toBe(0)
    clock.now += 5_500
    expect(registry.purgeExpired()).toBe(2)
    expect(() => new RendezvousRegistry({ secp256k1, maxRecords: 0 })).toThrow(InvalidConfigError)
  })
})

describe('handleRequest', () => {
  it('serves a register then a discover, bytes in and bytes out', () => {
    const { registry } = setup()
    const enr = record()
    const reader = new RendezvousReader()
    const requests = reader.push(
      Uint8Array.from([
        ...encodeMessage({ type: MessageType.REGISTER, topic: whisper, record: enr, ttlNs: 10n * SECOND_NS }),
        ...encodeMessage({ type: MessageType.DISCOVER, limit: 50, topic: whisper }),
      ]),
    )
    const responses = requests.map((request) => handleRequest(registry, request))
    expect(responses).toEqual([
      { type: MessageType.REGISTER_RESPONSE, status: Status.OK, message: '' },
      { type: MessageType.DISCOVER_RESPONSE, status: Status.OK, message: '', records: [enr] },
    ])
  })

  it('answers REMOTEIP with the address it was given', () => {
    const { registry } = setup()
    expect(handleRequest(registry, { type: MessageType.REMOTEIP }, { remoteIp: '192.0.2.7' })).toEqual({
      type: MessageType.REMOTEIP_RESPONSE,
      status: Status.OK,
      ip: '192.0.2.7',
    })
    expect(handleRequest(registry, { type: MessageType.REMOTEIP })).toMatchObject({
      status: Status.E_INTERNAL_ERROR,
    })
  })

  it('does not answer responses sent as requests', () => {
    const { registry } = setup()
    expect(
      handleRequest(registry, { type: MessageType.REGISTER_RESPONSE, status: Status.OK, message: '' }),
    ).toBeUndefined()
  })

  it('answers a request whose body does not decode with E_INVALID_CONTENT', () => {
    const reader = new RendezvousReader()
    let failure: unknown
    try {
      reader.push(Uint8Array.of(MessageType.DISCOVER, 0xc1, 0x80))
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(RendezvousDecodeError)
    expect(invalidContentResponse((failure as RendezvousDecodeError).messageType)).toEqual({
      type: MessageType.DISCOVER_RESPONSE,
      status: Status.E_INVALID_CONTENT,
      message: '',
      records: [],
    })
    expect(invalidContentResponse(MessageType.REGISTER)).toMatchObject({ status: Status.E_INVALID_CONTENT })
    expect(invalidContentResponse(undefined)).toBeUndefined()
  })
})
