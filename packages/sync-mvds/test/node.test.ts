import { bytesToHex } from '@parley/crypto'
import { InvalidConfigError, InvalidParametersError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { decodePayload, encodePayload, MvdsNode, type MvdsNodeOptions, nextSendEpoch } from '../src/index.ts'

const GROUP = Uint8Array.of(0xaa, 0xbb)
const body = (n: number) => Uint8Array.of(n)

function pair(options: MvdsNodeOptions = {}): { a: MvdsNode; b: MvdsNode } {
  const a = new MvdsNode({ schedule: { random: () => 0 }, ...options })
  const b = new MvdsNode({ schedule: { random: () => 0 }, ...options })
  a.addPeer(GROUP, 'b')
  b.addPeer(GROUP, 'a')
  return { a, b }
}

// Payloads cross the wire encoded, as they will in production.
const wire = (payload: Parameters<typeof encodePayload>[0]) => decodePayload(encodePayload(payload))

describe('MvdsNode batch mode', () => {
  it('sends MESSAGE, receives ACK, reports delivery once', () => {
    const { a, b } = pair()
    const id = a.append(GROUP, body(1), 1_700_000_000n)
    expect(a.tick(0).payloads).toEqual([])
    const [out] = a.tick(1).payloads
    expect(out?.peer).toBe('b')
    expect(out?.payload.messages).toHaveLength(1)

    const received = b.onPayload('a', wire(out?.payload ?? fail()))
    expect(received.delivered.map((d) => bytesToHex(d.messageId))).toEqual([bytesToHex(id)])
    expect(received.delivered[0]?.message.timestamp).toBe(1_700_000_000n)
    const [ack] = b.tick(1).payloads
    expect(ack?.payload.acks.map(bytesToHex)).toEqual([bytesToHex(id)])
    expect(b.state.size).toBe(0)

    const acked = a.onPayload('b', wire(ack?.payload ?? fail()))
    expect(acked.acknowledged.map((x) => [x.peer, bytesToHex(x.messageId)])).toEqual([['b', bytesToHex(id)]])
    expect(a.state.size).toBe(0)
    expect(a.onPayload('b', wire(ack?.payload ?? fail())).acknowledged).toEqual([])
  })

  it('acks duplicates but delivers them only once', () => {
    const { a, b } = pair()
    a.append(GROUP, body(2), 5n)
    const payload = a.tick(1).payloads[0]?.payload ?? fail()
    expect(b.onPayload('a', payload).delivered).toHaveLength(1)
    b.tick(1)
    expect(b.onPayload('a', payload).delivered).toHaveLength(0)
    expect(b.tick(2).payloads[0]?.payload.acks).toHaveLength(1)
  })

  it('retransmits on the schedule and expires after maxSendCount sends', () => {
    const { a } = pair({ schedule: { random: () => 0, maxSendCount: 4 } })
    const id = a.append(GROUP, body(3), 1n)
    const sentAt: number[] = []
    let expired: unknown[] = []
    for (let epoch = 0; epoch < 2000 && expired.length === 0; epoch++) {
      const outcome = a.tick(epoch)
      if (outcome.payloads.length > 0) sentAt.push(epoch)
      expired = outcome.expired
    }
    expect(sentAt).toEqual([1, 1 + 90, 1 + 90 + 180, 1 + 90 + 180 + 360])
    expect(expired).toEqual([{ peer: 'b', messageId: id, type: 'MESSAGE' }])
    expect(a.state.size).toBe(0)
  })

  it('does not send to peers outside the group and refuses going back in time', () => {
    const a = new MvdsNode()
    a.append(GROUP, body(4), 1n)
    expect(a.state.size).toBe(0)
    a.tick(10)
    expect(() => a.tick(9)).toThrow(InvalidParametersError)
    expect(() => a.append(GROUP, body(4), 2n ** 63n)).toThrow(InvalidParametersError)
    expect(() => new MvdsNode({ epoch: -1 })).toThrow(InvalidConfigError)
  })

  it('brings records forward when a peer comes online', () => {
    const { a } = pair({ schedule: { random: () => 0.5 } })
    a.append(GROUP, body(5), 1n)
    a.tick(1)
    expect(a.nextDueEpoch()).toBe(nextSendEpoch(1, 1, a.schedule))
    a.tick(2)
    a.peerOnline('b')
    expect(a.nextDueEpoch()).toBe(2 + 30)
  })
})

describe('MvdsNode interactive mode', () => {
  it('runs OFFER → REQUEST → MESSAGE → ACK', () => {
    const { a, b } = pair({ mode: 'interactive' })
    const id = a.append(GROUP, body(6), 9n)
    const offer = a.tick(1).payloads[0]?.payload ?? fail()
    expect(offer.offers.map(bytesToHex)).toEqual([bytesToHex(id)])
    expect(offer.messages).toEqual([])

    b.onPayload('a', wire(offer))
    const request = b.tick(1).payloads[0]?.payload ?? fail()
    expect(request.requests.map(bytesToHex)).toEqual([bytesToHex(id)])

    a.onPayload('b', wire(request))
    const message = a.tick(2).payloads[0]?.payload ?? fail()
    expect(message.messages).toHaveLength(1)

    expect(b.onPayload('a', wire(message)).delivered).toHaveLength(1)
    expect(b.state.size).toBe(0) // the REQUEST record is satisfied
    const ack = b.tick(2).payloads[0]?.payload ?? fail()
    expect(a.onPayload('b', wire(ack)).acknowledged).toHaveLength(1)
    expect(a.state.size).toBe(0)
  })

  it('ignores requests from peers outside the group and offers of malformed ids', () => {
    const { a, b } = pair({ mode: 'interactive' })
    const id = a.append(GROUP, body(7), 1n)
    a.onPayload('stranger', { acks: [], offers: [], requests: [id], messages: [], groupOffers: [] })
    expect(a.state.get(id, 'stranger')).toBeUndefined()
    b.onPayload('a', { acks: [], offers: [Uint8Array.of(1)], requests: [], messages: [], groupOffers: [] })
    expect(b.state.size).toBe(0)
  })
})

function fail(): never {
  throw new Error('expected a payload')
}
