import { describe, expect, it } from 'vitest'
import type { PeerDirection } from '../src/host/peer.ts'
import { admission } from '../src/host/peer-set.ts'
import { DISCONNECT_REASONS } from '../src/index.ts'

const low = '01'.repeat(64)
const high = 'fe'.repeat(64)
const peer = (direction: PeerDirection) => ({ direction })

function decide(overrides: Partial<Parameters<typeof admission<{ direction: PeerDirection }>>[0]> = {}) {
  return admission({
    started: true,
    localId: low,
    remoteId: high,
    direction: 'inbound',
    peers: new Map(),
    maxPeers: 2,
    ...overrides,
  })
}

describe('peer-set admission', () => {
  it('admits a new peer below maxPeers', () => {
    expect(decide()).toEqual({ admit: true })
  })

  it.each([
    ['stopping', { started: false }, DISCONNECT_REASONS.quitting],
    ['self', { remoteId: low }, DISCONNECT_REASONS.self],
    [
      'full',
      {
        peers: new Map([
          ['a', peer('inbound')],
          ['b', peer('outbound')],
        ]),
      },
      DISCONNECT_REASONS.tooManyPeers,
    ],
    [
      'same direction twice',
      { peers: new Map([[high, peer('inbound')]]) },
      DISCONNECT_REASONS.alreadyConnected,
    ],
  ] as const)('refuses when %s', (_case, overrides, reason) => {
    expect(decide(overrides)).toMatchObject({ admit: false, reason })
  })

  it('keeps the connection the lower id dialled, on both sides', () => {
    const existingInbound = peer('inbound')
    // We (low) dialled out while high's dial to us was already admitted: ours wins, replacing it.
    expect(decide({ direction: 'outbound', peers: new Map([[high, existingInbound]]) })).toEqual({
      admit: true,
      replaces: existingInbound,
    })
    // The same moment seen from high: our (low's) connection arrives inbound and wins there too.
    const existingOutbound = peer('outbound')
    expect(
      decide({
        localId: high,
        remoteId: low,
        direction: 'inbound',
        peers: new Map([[low, existingOutbound]]),
      }),
    ).toEqual({ admit: true, replaces: existingOutbound })
    // And high's own connection loses on both sides.
    expect(decide({ direction: 'inbound', peers: new Map([[high, peer('outbound')]]) })).toMatchObject({
      admit: false,
      reason: DISCONNECT_REASONS.alreadyConnected,
    })
    expect(
      decide({
        localId: high,
        remoteId: low,
        direction: 'outbound',
        peers: new Map([[low, peer('inbound')]]),
      }),
    ).toMatchObject({ admit: false, reason: DISCONNECT_REASONS.alreadyConnected })
  })

  it('a replacement is allowed even at maxPeers, since it frees its own slot', () => {
    const existing = peer('inbound')
    const peers = new Map([
      [high, existing],
      ['other', peer('inbound')],
    ])
    expect(decide({ direction: 'outbound', peers })).toEqual({ admit: true, replaces: existing })
  })
})
