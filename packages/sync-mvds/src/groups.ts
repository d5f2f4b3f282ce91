/** Group membership: who receives the messages of each group, plus a journal of peers added. */
import { bytesToHex } from '@parley/crypto'
import type { GroupMember } from './journal.ts'
import type { PeerId } from './state.ts'

export class GroupMembers {
  readonly #groups = new Map<string, Set<PeerId>>()
  readonly #added: GroupMember[] = []

  /** Adds `peer` to the group; false when it was a member already. */
  add(groupId: Uint8Array, peer: PeerId): boolean {
    const group = bytesToHex(groupId)
    const peers = this.#groups.get(group) ?? new Set()
    this.#groups.set(group, peers)
    if (peers.has(peer)) return false
    peers.add(peer)
    this.#added.push({ groupId: Uint8Array.from(groupId), peer })
    return true
  }

  peers(groupId: Uint8Array): PeerId[] {
    return [...(this.#groups.get(bytesToHex(groupId)) ?? [])]
  }

  has(groupId: Uint8Array, peer: PeerId): boolean {
    return this.#groups.get(bytesToHex(groupId))?.has(peer) ?? false
  }

  /** Peers added since the last call. */
  takeAdded(): GroupMember[] {
    return this.#added.splice(0)
  }
}
