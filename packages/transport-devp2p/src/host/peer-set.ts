/** go-ethereum's peer-set rules for a finished handshake, as a pure decision. */
import { InvalidParametersError, LimitExceededError, NotStartedError } from '@parley/interfaces'
import { DISCONNECT_REASONS } from '../p2p/messages.ts'
import type { PeerDirection } from './peer.ts'

export interface AdmissionInput<Peer extends { direction: PeerDirection }> {
  started: boolean
  localId: string
  remoteId: string
  direction: PeerDirection
  peers: ReadonlyMap<string, Peer>
  maxPeers: number
}

export type AdmissionVerdict<Peer> =
  | { admit: true; replaces?: Peer }
  | { admit: false; reason: number; error: Error }

/** Whether to keep a new connection, and which existing one it replaces. */
export function admission<Peer extends { direction: PeerDirection }>(
  input: AdmissionInput<Peer>,
): AdmissionVerdict<Peer> {
  const { localId, remoteId, direction, peers } = input
  if (!input.started) return refuse(DISCONNECT_REASONS.quitting, new NotStartedError())
  if (remoteId === localId)
    return refuse(DISCONNECT_REASONS.self, new InvalidParametersError('connected to self'))
  const existing = peers.get(remoteId)
  if (existing !== undefined) {
    if (!keepsNewer(existing.direction, direction, localId, remoteId))
      return refuse(DISCONNECT_REASONS.alreadyConnected, new InvalidParametersError('peer already connected'))
    return { admit: true, replaces: existing }
  }
  if (peers.size >= input.maxPeers)
    return refuse(DISCONNECT_REASONS.tooManyPeers, new LimitExceededError('too many peers'))
  return { admit: true }
}

function refuse(reason: number, error: Error): AdmissionVerdict<never> {
  return { admit: false, reason, error }
}

/**
 * Two nodes that dial each other at once each end up with an inbound and an outbound connection.
 * If each kept its first, both would drop a different one and lose the peer. Both sides keep the
 * connection dialled by the node with the lower id instead, so they agree.
 */
function keepsNewer(
  existing: PeerDirection,
  direction: PeerDirection,
  localId: string,
  remoteId: string,
): boolean {
  if (existing === direction) return false
  const [initiator, other] = direction === 'outbound' ? [localId, remoteId] : [remoteId, localId]
  return initiator < other
}
