/**
 * A pure MVDS node (after status-im/mvds `node/node.go`): no sockets, no timers, no persistence.
 * The caller feeds it received payloads and epoch ticks and sends the payloads it returns.
 * Batch mode (what status-go deploys): MESSAGE → ACK. Interactive mode: OFFER → REQUEST →
 * MESSAGE → ACK.
 */
import { bytesToHex } from '@parley/crypto'
import { InvalidConfigError, InvalidParametersError } from '@parley/interfaces'
import { messageId } from './ids.ts'
import {
  isExhausted,
  nextSendEpoch,
  peerOnlineSendEpoch,
  type ScheduleConfig,
  scheduleConfig,
} from './schedule.ts'
import { type PeerId, type RecordType, SyncState } from './state.ts'
import { emptyPayload, isEmptyPayload, type MvdsMessage, type Payload } from './wire.ts'

export type SyncMode = 'batch' | 'interactive'

export interface MvdsNodeOptions {
  mode?: SyncMode
  schedule?: Partial<ScheduleConfig>
  /** epoch the node starts at (a restored node passes its persisted epoch) */
  epoch?: number
}

export interface DeliveredMessage {
  from: PeerId
  messageId: Uint8Array
  message: MvdsMessage
}

export interface Acknowledgement {
  peer: PeerId
  messageId: Uint8Array
}

export interface ExpiredRecord extends Acknowledgement {
  type: RecordType
}

export interface PayloadOutcome {
  /** new messages for the application, each at most once */
  delivered: DeliveredMessage[]
  /** our MESSAGE or OFFER records this peer acknowledged (`message:delivered` for that peer) */
  acknowledged: Acknowledgement[]
}

export interface TickOutcome {
  payloads: { peer: PeerId; payload: Payload }[]
  /** records given up after `maxSendCount` sends (the message may not have reached that peer) */
  expired: ExpiredRecord[]
}

const MESSAGE_ID_BYTES = 32

export class MvdsNode {
  readonly mode: SyncMode
  readonly schedule: ScheduleConfig
  readonly state = new SyncState()
  readonly #messages = new Map<string, MvdsMessage>()
  readonly #groups = new Map<string, Set<PeerId>>()
  readonly #pendingAcks = new Map<PeerId, Uint8Array[]>()
  #epoch: number

  constructor(options: MvdsNodeOptions = {}) {
    this.mode = options.mode ?? 'batch'
    this.schedule = scheduleConfig(options.schedule)
    this.#epoch = options.epoch ?? 0
    if (!Number.isSafeInteger(this.#epoch) || this.#epoch < 0) {
      throw new InvalidConfigError(`epoch must be a non-negative integer, got ${this.#epoch}`)
    }
  }

  get epoch(): number {
    return this.#epoch
  }

  addPeer(groupId: Uint8Array, peer: PeerId): void {
    const group = bytesToHex(groupId)
    let peers = this.#groups.get(group)
    if (peers === undefined) {
      peers = new Set()
      this.#groups.set(group, peers)
    }
    peers.add(peer)
  }

  isPeerInGroup(groupId: Uint8Array, peer: PeerId): boolean {
    return this.#groups.get(bytesToHex(groupId))?.has(peer) ?? false
  }

  hasMessage(id: Uint8Array): boolean {
    return this.#messages.has(bytesToHex(id))
  }

  getMessage(id: Uint8Array): MvdsMessage | undefined {
    return this.#messages.get(bytesToHex(id))
  }

  /** Stores a new message and schedules it for every peer of the group; returns its id. */
  append(groupId: Uint8Array, body: Uint8Array, timestampSeconds: bigint): Uint8Array {
    if (BigInt.asIntN(64, timestampSeconds) !== timestampSeconds) {
      throw new InvalidParametersError('MVDS message timestamp does not fit in int64')
    }
    const message: MvdsMessage = {
      groupId: Uint8Array.from(groupId),
      timestamp: timestampSeconds,
      body: Uint8Array.from(body),
    }
    const id = messageId(message)
    this.#messages.set(bytesToHex(id), message)
    this.#shareWithGroup(message, id, undefined)
    return id
  }

  /** Handles a payload from `from` (acks, requests, offers, then messages, as upstream). */
  onPayload(from: PeerId, payload: Payload): PayloadOutcome {
    const outcome: PayloadOutcome = { delivered: [], acknowledged: [] }
    for (const id of payload.acks) {
      const record = this.state.remove(id, from)
      if (record !== undefined && record.type !== 'REQUEST')
        outcome.acknowledged.push({ peer: from, messageId: id })
    }
    for (const id of payload.requests) this.#onRequest(from, id)
    for (const id of payload.offers) this.#onOffer(from, id, undefined)
    for (const offer of payload.groupOffers) {
      for (const id of offer.messageIds) this.#onOffer(from, id, offer.groupId)
    }
    for (const message of payload.messages) {
      const id = messageId(message)
      this.state.remove(id, from)
      // ACK every copy: a lost ACK makes the sender retransmit, and only a fresh ACK stops it.
      this.#queueAck(from, id)
      if (this.hasMessage(id)) continue
      this.#messages.set(bytesToHex(id), message)
      this.#shareWithGroup(message, id, from)
      outcome.delivered.push({ from, messageId: id, message })
    }
    return outcome
  }

  /** Advances to `epoch` and returns what is due: one payload per peer, plus expired records. */
  tick(epoch: number): TickOutcome {
    if (!Number.isSafeInteger(epoch) || epoch < this.#epoch) {
      throw new InvalidParametersError(`epoch must be an integer ≥ ${this.#epoch}, got ${epoch}`)
    }
    this.#epoch = epoch
    const payloads = new Map<PeerId, Payload>()
    const payloadFor = (peer: PeerId): Payload => {
      let payload = payloads.get(peer)
      if (payload === undefined) {
        payload = emptyPayload()
        payloads.set(peer, payload)
      }
      return payload
    }
    for (const [peer, acks] of this.#pendingAcks) payloadFor(peer).acks.push(...acks)
    this.#pendingAcks.clear()

    const expired: ExpiredRecord[] = []
    for (const record of this.state.due(epoch)) {
      const payload = payloadFor(record.peer)
      if (record.type === 'OFFER') payload.offers.push(record.messageId)
      else if (record.type === 'REQUEST') payload.requests.push(record.messageId)
      else {
        const message = this.getMessage(record.messageId)
        if (message === undefined || !this.isPeerInGroup(message.groupId, record.peer)) {
          this.state.remove(record.messageId, record.peer)
          continue
        }
        payload.messages.push(message)
      }
      record.sendCount += 1
      if (isExhausted(record.sendCount, this.schedule)) {
        this.state.remove(record.messageId, record.peer)
        expired.push({ peer: record.peer, messageId: record.messageId, type: record.type })
      } else {
        record.sendEpoch = nextSendEpoch(record.sendCount, epoch, this.schedule)
      }
    }
    const out = [...payloads]
      .filter(([, p]) => !isEmptyPayload(p))
      .map(([peer, payload]) => ({ peer, payload }))
    return { payloads: out, expired }
  }

  /** The earliest epoch at which `tick` has something to send, if any (lets a wrapper sleep). */
  nextDueEpoch(): number | undefined {
    if (this.#pendingAcks.size > 0) return this.#epoch
    let next: number | undefined
    for (const record of this.state.all()) {
      if (next === undefined || record.sendEpoch < next) next = record.sendEpoch
    }
    return next === undefined ? undefined : Math.max(next, this.#epoch)
  }

  /** A peer came back online: bring its pending records forward (mvds `resetPeerEpoch`). */
  peerOnline(peer: PeerId): void {
    for (const record of this.state.forPeer(peer)) {
      record.sendEpoch = peerOnlineSendEpoch(this.#epoch, this.schedule)
    }
  }

  #queueAck(peer: PeerId, id: Uint8Array): void {
    const acks = this.#pendingAcks.get(peer)
    if (acks === undefined) this.#pendingAcks.set(peer, [id])
    else if (!acks.some((a) => bytesToHex(a) === bytesToHex(id))) acks.push(id)
  }

  #onRequest(from: PeerId, id: Uint8Array): void {
    const message = this.getMessage(id)
    if (message === undefined || !this.isPeerInGroup(message.groupId, from)) return
    this.#schedule('MESSAGE', message.groupId, id, from)
  }

  #onOffer(from: PeerId, id: Uint8Array, groupId: Uint8Array | undefined): void {
    if (id.length !== MESSAGE_ID_BYTES || this.hasMessage(id)) return
    this.#schedule('REQUEST', groupId, id, from)
  }

  // Upstream offers a received message to the group's other peers; we do it on first receipt
  // only, so duplicates cannot restart the schedule.
  #shareWithGroup(message: MvdsMessage, id: Uint8Array, from: PeerId | undefined): void {
    const type: RecordType = this.mode === 'batch' ? 'MESSAGE' : 'OFFER'
    for (const peer of this.#groups.get(bytesToHex(message.groupId)) ?? []) {
      if (peer !== from) this.#schedule(type, message.groupId, id, peer)
    }
  }

  // New records are due at the next epoch (mvds `insertSyncState`). An existing record keeps its
  // send count, so repeated REQUESTs or OFFERs cannot extend retransmission past maxSendCount.
  #schedule(type: RecordType, groupId: Uint8Array | undefined, id: Uint8Array, peer: PeerId): void {
    const existing = this.state.get(id, peer)
    const sendEpoch = this.#epoch + 1
    if (existing === undefined) {
      this.state.put({ type, groupId, messageId: id, peer, sendCount: 0, sendEpoch })
    } else {
      existing.type = type
      existing.sendEpoch = Math.min(existing.sendEpoch, sendEpoch)
    }
  }
}
