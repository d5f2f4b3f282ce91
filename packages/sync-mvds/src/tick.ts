/**
 * One epoch of a node: gather everything due into one payload per peer (pending ACKs, ephemeral
 * messages, and the records whose send epoch has come), then reschedule or expire those records.
 */
import { isExhausted, nextSendEpoch, type ScheduleConfig } from './schedule.ts'
import type { PeerId, RecordType, SyncState } from './state.ts'
import { emptyPayload, isEmptyPayload, type MvdsMessage, type Payload } from './wire.ts'

export interface ExpiredRecord {
  peer: PeerId
  messageId: Uint8Array
  type: RecordType
}

/** What one tick put on the wire, for metrics. */
export interface TickStats {
  /** MESSAGE records sent for the first time */
  messages: number
  /** MESSAGE, OFFER and REQUEST records sent again */
  retransmissions: number
  offers: number
  requests: number
  acks: number
  ephemeral: number
}

export interface TickOutcome {
  payloads: { peer: PeerId; payload: Payload }[]
  /** records given up after `maxSendCount` sends (the message may not have reached that peer) */
  expired: ExpiredRecord[]
  stats: TickStats
}

export interface TickInput {
  state: SyncState
  schedule: ScheduleConfig
  acks: ReadonlyMap<PeerId, Uint8Array[]>
  ephemeral: ReadonlyMap<PeerId, MvdsMessage[]>
  /** the message a MESSAGE record stands for, if it still may go to that peer */
  messageFor(messageId: Uint8Array, peer: PeerId): MvdsMessage | undefined
}

export function runTick(epoch: number, input: TickInput): TickOutcome {
  const stats: TickStats = { messages: 0, retransmissions: 0, offers: 0, requests: 0, acks: 0, ephemeral: 0 }
  const payloads = new Map<PeerId, Payload>()
  const payloadFor = (peer: PeerId): Payload => {
    let payload = payloads.get(peer)
    if (payload === undefined) {
      payload = emptyPayload()
      payloads.set(peer, payload)
    }
    return payload
  }
  for (const [peer, acks] of input.acks) {
    payloadFor(peer).acks.push(...acks)
    stats.acks += acks.length
  }
  for (const [peer, messages] of input.ephemeral) {
    payloadFor(peer).messages.push(...messages)
    stats.ephemeral += messages.length
  }

  const expired: ExpiredRecord[] = []
  for (const record of input.state.due(epoch)) {
    if (record.type === 'MESSAGE') {
      const message = input.messageFor(record.messageId, record.peer)
      if (message === undefined) {
        input.state.remove(record.messageId, record.peer)
        continue
      }
      payloadFor(record.peer).messages.push(message)
      if (record.sendCount === 0) stats.messages++
    } else if (record.type === 'OFFER') {
      payloadFor(record.peer).offers.push(record.messageId)
      stats.offers++
    } else {
      payloadFor(record.peer).requests.push(record.messageId)
      stats.requests++
    }
    if (record.sendCount > 0) stats.retransmissions++
    record.sendCount += 1
    if (isExhausted(record.sendCount, input.schedule)) {
      input.state.remove(record.messageId, record.peer)
      expired.push({ peer: record.peer, messageId: record.messageId, type: record.type })
    } else {
      record.sendEpoch = nextSendEpoch(record.sendCount, epoch, input.schedule)
      input.state.put(record)
    }
  }
  const out = [...payloads]
    .filter(([, payload]) => !isEmptyPayload(payload))
    .map(([peer, payload]) => ({ peer, payload }))
  return { payloads: out, expired, stats }
}
