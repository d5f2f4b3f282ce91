/**
 * A pure MVDS node (after status-im/mvds `node/node.go`): no sockets, no timers, no I/O. The caller
 * feeds it received payloads and epoch ticks, sends the payloads it returns, and saves what
 * `takeChanges` reports. Batch mode (what status-go deploys): MESSAGE → ACK. Interactive mode:
 * OFFER → REQUEST → MESSAGE → ACK.
 */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import { InvalidConfigError, InvalidParametersError } from '@parley/interfaces'
import { GroupMembers } from './groups.ts'
import { messageId } from './ids.ts'
import type { GroupHead, NodeChanges, NodeSnapshot } from './journal.ts'
import type { DeliveredMessage, MvdsNodeOptions, Ordering, PayloadOutcome, SyncMode } from './node-types.ts'
import { HeldMessages, RecentIds } from './ordering.ts'
import { peerOnlineSendEpoch, type ScheduleConfig, scheduleConfig } from './schedule.ts'
import { type PeerId, type RecordType, SyncState } from './state.ts'
import { runTick, type TickOutcome } from './tick.ts'
import type { MvdsMessage, Payload } from './wire.ts'

const MESSAGE_ID_BYTES = 32

export class MvdsNode {
  readonly mode: SyncMode
  readonly ordering: Ordering
  readonly schedule: ScheduleConfig
  readonly state = new SyncState()
  readonly held = new HeldMessages()
  readonly #messages = new Map<string, MvdsMessage>()
  readonly #groups = new GroupMembers()
  readonly #heads = new Map<string, Uint8Array>()
  readonly #pendingAcks = new Map<PeerId, Uint8Array[]>()
  readonly #pendingEphemeral = new Map<PeerId, MvdsMessage[]>()
  readonly #recentEphemeral: RecentIds
  readonly #newMessages = new Set<string>()
  readonly #newHeads = new Set<string>()
  #epoch: number

  constructor(options: MvdsNodeOptions = {}) {
    this.mode = options.mode ?? 'batch'
    this.ordering = options.ordering ?? 'eventual'
    this.schedule = scheduleConfig(options.schedule)
    this.#recentEphemeral = new RecentIds(options.ephemeralMemory ?? 1024)
    this.#epoch = options.snapshot?.epoch ?? options.epoch ?? 0
    if (!Number.isSafeInteger(this.#epoch) || this.#epoch < 0) {
      throw new InvalidConfigError(`epoch must be a non-negative integer, got ${this.#epoch}`)
    }
    if (options.snapshot !== undefined) this.#restore(options.snapshot)
  }

  get epoch(): number {
    return this.#epoch
  }

  addPeer(groupId: Uint8Array, peer: PeerId): void {
    this.#groups.add(groupId, peer)
  }

  peersOf(groupId: Uint8Array): PeerId[] {
    return this.#groups.peers(groupId)
  }

  isPeerInGroup(groupId: Uint8Array, peer: PeerId): boolean {
    return this.#groups.has(groupId, peer)
  }

  hasMessage(id: Uint8Array): boolean {
    return this.#messages.has(bytesToHex(id))
  }

  getMessage(id: Uint8Array): MvdsMessage | undefined {
    return this.#messages.get(bytesToHex(id))
  }

  /** True once the message reached the application here (or was appended here). */
  isSettled(id: Uint8Array): boolean {
    return this.hasMessage(id) && !this.held.has(id)
  }

  /**
   * Appends a message to a group and schedules it for every peer of the group; returns its id.
   * A persistent message names this node's previous one in the group as its parent. An ephemeral
   * message goes out once with the next tick: no record, no retransmission, no ACK expected.
   * The same group, second and body make the same id: appending it again changes nothing.
   */
  append(groupId: Uint8Array, body: Uint8Array, timestampSeconds: bigint, ephemeral = false): Uint8Array {
    if (BigInt.asIntN(64, timestampSeconds) !== timestampSeconds) {
      throw new InvalidParametersError('MVDS message timestamp does not fit in int64')
    }
    const group = bytesToHex(groupId)
    const message: MvdsMessage = {
      groupId: Uint8Array.from(groupId),
      timestamp: timestampSeconds,
      body: Uint8Array.from(body),
    }
    const head = this.#heads.get(group)
    if (ephemeral) message.metadata = { parents: [], ephemeral: true }
    else if (head !== undefined) message.metadata = { parents: [head], ephemeral: false }
    const id = messageId(message)
    if (ephemeral) {
      for (const peer of this.#groups.peers(groupId)) pushTo(this.#pendingEphemeral, peer, message)
      return id
    }
    if (this.hasMessage(id)) return id
    this.#store(id, message)
    this.#heads.set(group, id)
    this.#newHeads.add(group)
    this.#shareWithGroup(message, id, undefined)
    return id
  }

  /** Handles a payload from `from`: acks, requests, offers, then messages, as upstream. */
  onPayload(from: PeerId, payload: Payload): PayloadOutcome {
    const outcome: PayloadOutcome = { delivered: [], acknowledged: [], duplicates: 0, held: 0, rejected: [] }
    const validId = (id: Uint8Array): boolean => {
      if (id.length === MESSAGE_ID_BYTES) return true
      outcome.rejected.push({ reason: 'invalid-id', messageId: id })
      return false
    }
    for (const id of payload.acks) {
      if (!validId(id)) continue
      const record = this.state.remove(id, from)
      if (record !== undefined && record.type !== 'REQUEST')
        outcome.acknowledged.push({ peer: from, messageId: id })
    }
    for (const id of payload.requests) {
      if (!validId(id)) continue
      const message = this.getMessage(id)
      if (message === undefined) outcome.rejected.push({ reason: 'unknown-request', messageId: id })
      else if (!this.isPeerInGroup(message.groupId, from))
        outcome.rejected.push({ reason: 'not-in-group', messageId: id })
      else this.#schedule('MESSAGE', message.groupId, id, from)
    }
    const offers = [
      ...payload.offers.map((id) => ({ id, groupId: undefined })),
      ...payload.groupOffers.flatMap((o) => o.messageIds.map((id) => ({ id, groupId: o.groupId }))),
    ]
    for (const { id, groupId } of offers) {
      if (validId(id) && !this.hasMessage(id)) this.#schedule('REQUEST', groupId, id, from)
    }
    for (const message of payload.messages) this.#onMessage(from, message, outcome)
    return outcome
  }

  /** Advances to `epoch` and returns what is due: one payload per peer, plus expired records. */
  tick(epoch: number): TickOutcome {
    if (!Number.isSafeInteger(epoch) || epoch < this.#epoch) {
      throw new InvalidParametersError(`epoch must be an integer ≥ ${this.#epoch}, got ${epoch}`)
    }
    this.#epoch = epoch
    const outcome = runTick(epoch, {
      state: this.state,
      schedule: this.schedule,
      acks: this.#pendingAcks,
      ephemeral: this.#pendingEphemeral,
      messageFor: (id, peer) => {
        const message = this.getMessage(id)
        return message !== undefined && this.isPeerInGroup(message.groupId, peer) ? message : undefined
      },
    })
    this.#pendingAcks.clear()
    this.#pendingEphemeral.clear()
    return outcome
  }

  /** The earliest epoch at which `tick` has something to send, if any (lets a wrapper sleep). */
  nextDueEpoch(): number | undefined {
    if (this.#pendingAcks.size > 0 || this.#pendingEphemeral.size > 0) return this.#epoch
    const next = this.state.nextDue()
    return next === undefined ? undefined : Math.max(next, this.#epoch)
  }

  /** A peer came back online: bring its pending records forward (mvds `resetPeerEpoch`). */
  peerOnline(peer: PeerId): void {
    for (const record of this.state.forPeer(peer)) {
      record.sendEpoch = peerOnlineSendEpoch(this.#epoch, this.schedule)
      this.state.put(record)
    }
  }

  /** Everything changed since the previous call, for a persistence layer to save. */
  takeChanges(): NodeChanges {
    const messages = [...this.#newMessages].map((hex) => ({
      messageId: hexToBytes(hex),
      message: this.#messages.get(hex) as MvdsMessage,
    }))
    const heads: GroupHead[] = [...this.#newHeads].map((hex) => ({
      groupId: hexToBytes(hex),
      messageId: this.#heads.get(hex) as Uint8Array,
    }))
    this.#newMessages.clear()
    this.#newHeads.clear()
    const [records, held, peers] = [
      this.state.takeChanges(),
      this.held.takeChanges(),
      this.#groups.takeAdded(),
    ]
    return { epoch: this.#epoch, records, messages, held, peers, heads }
  }

  #onMessage(from: PeerId, message: MvdsMessage, outcome: PayloadOutcome): void {
    const id = messageId(message)
    if (message.metadata?.ephemeral === true) {
      // 4/MVDS-META: no ACK, no history; remember the id a while to drop duplicates.
      if (!this.#recentEphemeral.add(bytesToHex(id)) || this.hasMessage(id)) outcome.duplicates++
      else outcome.delivered.push({ from, messageId: id, message })
      return
    }
    this.state.remove(id, from)
    // ACK every copy: a lost ACK makes the sender retransmit, and only a fresh ACK stops it.
    this.#queueAck(from, id)
    if (this.hasMessage(id)) {
      outcome.duplicates++
      return
    }
    this.#store(id, message)
    this.#shareWithGroup(message, id, from)
    const missing = (message.metadata?.parents ?? []).filter((p) => !this.isSettled(p))
    if (this.ordering === 'consistent' && missing.length > 0) {
      this.held.hold({ messageId: id, from, message }, missing)
      outcome.held++
      for (const parent of missing) {
        // Ask the sender for parents we have never seen; its retransmissions would come anyway.
        if (parent.length === MESSAGE_ID_BYTES && !this.hasMessage(parent)) {
          this.#schedule('REQUEST', message.groupId, parent, from)
        }
      }
      return
    }
    this.#deliver({ from, messageId: id, message }, outcome)
  }

  #deliver(first: DeliveredMessage, outcome: PayloadOutcome): void {
    const queue = [first]
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      outcome.delivered.push(next)
      queue.push(...this.held.release(next.messageId, (p) => this.isSettled(p)))
    }
  }

  #store(id: Uint8Array, message: MvdsMessage): void {
    const hex = bytesToHex(id)
    this.#messages.set(hex, message)
    this.#newMessages.add(hex)
  }

  #queueAck(peer: PeerId, id: Uint8Array): void {
    const acks = this.#pendingAcks.get(peer) ?? []
    if (!acks.some((a) => bytesToHex(a) === bytesToHex(id))) pushTo(this.#pendingAcks, peer, id)
  }

  // Upstream offers a received message to the group's other peers; we do it on first receipt
  // only, so duplicates cannot restart the schedule.
  #shareWithGroup(message: MvdsMessage, id: Uint8Array, from: PeerId | undefined): void {
    const type: RecordType = this.mode === 'batch' ? 'MESSAGE' : 'OFFER'
    for (const peer of this.#groups.peers(message.groupId)) {
      if (peer !== from) this.#schedule(type, message.groupId, id, peer)
    }
  }

  // New records are due at the next epoch (mvds `insertSyncState`). An existing record of the same
  // type keeps its send count, so repeated REQUESTs or OFFERs cannot extend retransmission past
  // maxSendCount; a record changing type (OFFER answered by a REQUEST) starts a new schedule, as
  // upstream's insert does, instead of inheriting the long backoff of the offers.
  #schedule(type: RecordType, groupId: Uint8Array | undefined, id: Uint8Array, peer: PeerId): void {
    const existing = this.state.get(id, peer)
    const sendEpoch = this.#epoch + 1
    if (existing === undefined) {
      this.state.put({ type, groupId, messageId: id, peer, sendCount: 0, sendEpoch })
    } else {
      if (existing.type !== type) existing.sendCount = 0
      existing.type = type
      existing.sendEpoch = Math.min(existing.sendEpoch, sendEpoch)
      this.state.put(existing)
    }
  }

  #restore(snapshot: NodeSnapshot): void {
    for (const record of snapshot.records) this.state.put({ ...record })
    for (const message of snapshot.messages) this.#messages.set(bytesToHex(messageId(message)), message)
    for (const { groupId, peer } of snapshot.peers) this.addPeer(groupId, peer)
    for (const { groupId, messageId: head } of snapshot.heads) this.#heads.set(bytesToHex(groupId), head)
    const held = snapshot.held.flatMap(({ messageId: id, from }) => {
      const message = this.getMessage(id)
      return message === undefined ? [] : [{ messageId: id, from, message }]
    })
    for (const entry of held) this.held.hold(entry, [])
    for (const entry of held) {
      const missing = (entry.message.metadata?.parents ?? []).filter((p) => !this.isSettled(p))
      this.held.hold(entry, missing)
    }
    this.takeChanges() // restored state is already saved
  }
}

function pushTo<T>(map: Map<PeerId, T[]>, peer: PeerId, item: T): void {
  const list = map.get(peer)
  if (list === undefined) map.set(peer, [item])
  else list.push(item)
}
