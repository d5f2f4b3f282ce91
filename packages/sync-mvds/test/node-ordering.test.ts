import { bytesToHex } from '@parley/crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodePayload,
  emptyPayload,
  encodePayload,
  MvdsNode,
  type MvdsNodeOptions,
  type Payload,
} from '../src/index.ts'

const GROUP = Uint8Array.of(7, 7)
const hex = bytesToHex

function pair(options: MvdsNodeOptions = {}) {
  const a = new MvdsNode({ schedule: { random: () => 0 }, ...options })
  const b = new MvdsNode({ schedule: { random: () => 0 }, ...options })
  a.addPeer(GROUP, 'b')
  b.addPeer(GROUP, 'a')
  return { a, b }
}

const wire = (payload: Payload) => decodePayload(encodePayload(payload))

/** The messages `a` sends at `epoch`, each in a payload of its own. */
function messagesOut(node: MvdsNode, epoch: number): Payload[] {
  const out = node.tick(epoch).payloads[0]?.payload
  return (out?.messages ?? []).map((message) => ({ ...emptyPayload(), messages: [message] }))
}

describe('parents (4/MVDS-META)', () => {
  it('chains each message to the previous one of the same sender and group', () => {
    const { a } = pair()
    const first = a.append(GROUP, Uint8Array.of(1), 1n)
    const second = a.append(GROUP, Uint8Array.of(2), 1n)
    const other = a.append(Uint8Array.of(9), Uint8Array.of(3), 1n)
    expect(a.getMessage(first)?.metadata).toBeUndefined() // a root: byte-identical to status-go
    expect(a.getMessage(second)?.metadata?.parents.map(hex)).toEqual([hex(first)])
    expect(a.getMessage(other)?.metadata).toBeUndefined()
  })

  it('appending the same group, second and body again is the same message', () => {
    const { a } = pair()
    const id = a.append(GROUP, Uint8Array.of(1), 1n)
    a.tick(1)
    expect(hex(a.append(GROUP, Uint8Array.of(1), 1n))).toBe(hex(id))
    expect(a.state.size).toBe(1)
  })
})

describe('consistent ordering', () => {
  it('holds later messages until the earlier ones arrive, then delivers in the sender order', () => {
    const { a, b } = pair({ ordering: 'consistent' })
    const ids = [1, 2, 3].map((n) => a.append(GROUP, Uint8Array.of(n), 5n))
    const [m1, m2, m3] = messagesOut(a, 1) as [Payload, Payload, Payload]

    const third = b.onPayload('a', wire(m3))
    expect(third).toMatchObject({ delivered: [], held: 1 })
    expect(b.onPayload('a', wire(m2)).delivered).toEqual([])
    expect(b.held.size).toBe(2)
    // The missing parent is requested from the sender.
    expect(b.tick(1).payloads[0]?.payload.requests.map(hex)).toEqual([hex(ids[0] as Uint8Array)])

    const first = b.onPayload('a', wire(m1))
    expect(first.delivered.map((d) => hex(d.messageId))).toEqual(ids.map(hex))
    expect(b.held.size).toBe(0)
    expect(b.state.size).toBe(0) // the REQUEST was satisfied
  })

  it('eventual ordering delivers on arrival', () => {
    const { a, b } = pair({ ordering: 'eventual' })
    a.append(GROUP, Uint8Array.of(1), 5n)
    a.append(GROUP, Uint8Array.of(2), 5n)
    const [, m2] = messagesOut(a, 1) as [Payload, Payload]
    expect(b.onPayload('a', wire(m2)).delivered).toHaveLength(1)
  })

  it('delivers messages without metadata (from status-go) at once', () => {
    const { b } = pair({ ordering: 'consistent' })
    const payload = {
      ...emptyPayload(),
      messages: [{ groupId: GROUP, timestamp: 1n, body: Uint8Array.of(1) }],
    }
    expect(b.onPayload('a', payload).delivered).toHaveLength(1)
  })

  it('restores held messages from a snapshot and releases them later', () => {
    const { a, b } = pair({ ordering: 'consistent' })
    a.append(GROUP, Uint8Array.of(1), 5n)
    a.append(GROUP, Uint8Array.of(2), 5n)
    const [m1, m2] = messagesOut(a, 1) as [Payload, Payload]
    b.onPayload('a', wire(m2))
    const changes = b.takeChanges()
    const restored = new MvdsNode({
      ordering: 'consistent',
      snapshot: {
        epoch: changes.epoch,
        records: changes.records.flatMap((c) => (c.record ? [c.record] : [])),
        messages: changes.messages.map((m) => m.message),
        held: changes.held.flatMap((h) => (h.from ? [{ messageId: h.messageId, from: h.from }] : [])),
        peers: changes.peers,
        heads: changes.heads,
      },
    })
    expect(restored.held.size).toBe(1)
    expect(restored.onPayload('a', wire(m1)).delivered.map((d) => d.message.body[0])).toEqual([1, 2])
  })
})

describe('ephemeral messages', () => {
  it('go out once with the next tick, keep no record and are not acknowledged', () => {
    const { a, b } = pair()
    const id = a.append(GROUP, Uint8Array.of(1), 1n, true)
    expect(a.state.size).toBe(0)
    expect(a.hasMessage(id)).toBe(false)
    const out = a.tick(1)
    expect(out.stats.ephemeral).toBe(1)
    const payload = out.payloads[0]?.payload as Payload
    expect(payload.messages[0]?.metadata).toEqual({ parents: [], ephemeral: true })
    expect(a.tick(2).payloads).toEqual([])

    const received = b.onPayload('a', wire(payload))
    expect(received.delivered.map((d) => hex(d.messageId))).toEqual([hex(id)])
    expect(b.onPayload('a', wire(payload))).toMatchObject({ delivered: [], duplicates: 1 })
    expect(b.tick(1).payloads).toEqual([]) // no ACK
    expect(b.takeChanges().messages).toEqual([]) // nothing to persist
  })

  it('are never parents', () => {
    const { a } = pair()
    a.append(GROUP, Uint8Array.of(1), 1n, true)
    const next = a.append(GROUP, Uint8Array.of(2), 1n)
    expect(a.getMessage(next)?.metadata).toBeUndefined()
  })
})

describe('refused items', () => {
  it('reports requests for unknown ids, from strangers, and malformed ids', () => {
    const { a } = pair()
    const id = a.append(GROUP, Uint8Array.of(1), 1n)
    const unknown = new Uint8Array(32).fill(1)
    const outcome = a.onPayload('stranger', { ...emptyPayload(), requests: [unknown, id, Uint8Array.of(1)] })
    expect(outcome.rejected.map((r) => r.reason)).toEqual(['unknown-request', 'not-in-group', 'invalid-id'])
    const fromPeer = a.onPayload('b', {
      ...emptyPayload(),
      acks: [Uint8Array.of(2)],
      offers: [Uint8Array.of(3)],
    })
    expect(fromPeer.rejected.map((r) => r.reason)).toEqual(['invalid-id', 'invalid-id'])
  })
})

describe('change journal', () => {
  it('reports records, messages, peers and heads once, then nothing', () => {
    const { a } = pair()
    const id = a.append(GROUP, Uint8Array.of(1), 1n)
    const changes = a.takeChanges()
    expect(changes.peers).toEqual([{ groupId: GROUP, peer: 'b' }])
    expect(changes.messages.map((m) => hex(m.messageId))).toEqual([hex(id)])
    expect(changes.heads.map((h) => hex(h.messageId))).toEqual([hex(id)])
    expect(changes.records.map((r) => r.record?.sendCount)).toEqual([0])
    expect(a.takeChanges()).toMatchObject({ records: [], messages: [], peers: [], heads: [], held: [] })
    a.tick(1)
    expect(a.takeChanges().records.map((r) => r.record?.sendCount)).toEqual([1])
    a.onPayload('b', { ...emptyPayload(), acks: [id] })
    expect(a.takeChanges().records).toEqual([{ messageId: id, peer: 'b', record: undefined }])
  })
})

describe('hostile payloads', () => {
  const bytes = fc.uint8Array({ maxLength: 40 })
  const id = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), bytes)
  const payload: fc.Arbitrary<Payload> = fc.record({
    acks: fc.array(id, { maxLength: 3 }),
    offers: fc.array(id, { maxLength: 3 }),
    requests: fc.array(id, { maxLength: 3 }),
    messages: fc.array(
      fc.record(
        {
          groupId: fc.oneof(fc.constant(GROUP), bytes),
          timestamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          body: bytes,
          metadata: fc.record({ parents: fc.array(id, { maxLength: 3 }), ephemeral: fc.boolean() }),
        },
        { requiredKeys: ['groupId', 'timestamp', 'body'] },
      ),
      { maxLength: 3 },
    ),
    groupOffers: fc.array(fc.record({ groupId: bytes, messageIds: fc.array(id, { maxLength: 2 }) }), {
      maxLength: 2,
    }),
  })

  it('never make a node throw, and every epoch still yields encodable payloads', () => {
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 4 }),
        fc.constantFrom('eventual', 'consistent'),
        (inputs, ordering) => {
          const node = new MvdsNode({ ordering: ordering as 'eventual' | 'consistent', mode: 'interactive' })
          node.addPeer(GROUP, 'p')
          node.append(GROUP, Uint8Array.of(1), 1n)
          for (const [i, input] of inputs.entries()) {
            node.onPayload('p', wire(input))
            for (const out of node.tick(i + 1).payloads) decodePayload(encodePayload(out.payload))
          }
          node.takeChanges()
        },
      ),
      { numRuns: 200 },
    )
  })

  it('does not hold a message naming itself as parent (the id does not cover metadata)', () => {
    const { a, b } = pair({ ordering: 'consistent' })
    const id = a.append(GROUP, Uint8Array.of(1), 1n)
    const message = { ...(a.getMessage(id) as Payload['messages'][number]) }
    message.metadata = { parents: [id], ephemeral: false }
    expect(b.onPayload('a', wire({ ...emptyPayload(), messages: [message] })).delivered).toHaveLength(1)
  })
})
