/**
 * MVDS state in a `KeyValueStore`, under `/mvds/<namespace>/`:
 *
 * | key                      | value                                         |
 * |--------------------------|-----------------------------------------------|
 * | `epoch`                  | the node's epoch, decimal                     |
 * | `rec/<id hex>/<peer>`    | a sync record (type, send count, send epoch), JSON |
 * | `msg/<id hex>`           | a stored message, protobuf `Message` (with metadata) |
 * | `held/<id hex>`          | the peer a held message came from             |
 * | `peer/<group hex>/<peer>`| group membership, JSON                        |
 * | `head/<group hex>`       | the id of our last message in the group       |
 *
 * Each save is one atomic batch, so a crash leaves either the state before or after an operation.
 */
import { bytesToHex, hexToBytes, utf8ToBytes } from '@parley/crypto'
import type { AbortOptions, KeyValueStore } from '@parley/interfaces'
import type { NodeChanges, NodeSnapshot } from './journal.ts'
import type { RecordType, SyncRecord } from './state.ts'
import { decodeMessage, encodeMessage } from './wire.ts'

const decoder = new TextDecoder('utf-8', { fatal: true })

interface StoredRecord {
  type: RecordType
  groupId: string | null
  messageId: string
  peer: string
  sendCount: number
  sendEpoch: number
}

const RECORD_TYPES: readonly string[] = ['OFFER', 'REQUEST', 'MESSAGE']

export class MvdsPersistence {
  readonly #store: KeyValueStore
  readonly #prefix: string

  constructor(store: KeyValueStore, namespace: string) {
    this.#store = store
    this.#prefix = `/mvds/${namespace}/`
  }

  #key(...parts: string[]): Uint8Array {
    return utf8ToBytes(this.#prefix + parts.join('/'))
  }

  /** Reads the saved state; entries that do not parse are skipped and counted in `corrupt`. */
  async load(options?: AbortOptions): Promise<{ snapshot: NodeSnapshot; corrupt: number }> {
    const snapshot: NodeSnapshot = { epoch: 0, records: [], messages: [], held: [], peers: [], heads: [] }
    let corrupt = 0
    for await (const [rawKey, value] of this.#store.entries({
      ...options,
      prefix: utf8ToBytes(this.#prefix),
    })) {
      try {
        const [kind = '', first = '', ...rest] = decoder.decode(rawKey).slice(this.#prefix.length).split('/')
        const text = () => decoder.decode(value)
        if (kind === 'epoch') snapshot.epoch = parseEpoch(text())
        else if (kind === 'rec') snapshot.records.push(parseRecord(text()))
        else if (kind === 'msg') snapshot.messages.push(decodeMessage(value))
        else if (kind === 'held') snapshot.held.push({ messageId: hexToBytes(first), from: text() })
        else if (kind === 'peer') snapshot.peers.push({ groupId: hexToBytes(first), peer: rest.join('/') })
        else if (kind === 'head')
          snapshot.heads.push({ groupId: hexToBytes(first), messageId: value.slice() })
        else corrupt++
      } catch {
        corrupt++
      }
    }
    return { snapshot, corrupt }
  }

  /** Writes `changes` in one batch. */
  async save(changes: NodeChanges, options?: AbortOptions): Promise<void> {
    const batch = this.#store.batch()
    batch.put(this.#key('epoch'), utf8ToBytes(String(changes.epoch)))
    for (const { messageId, peer, record } of changes.records) {
      const key = this.#key('rec', bytesToHex(messageId), peer)
      if (record === undefined) batch.delete(key)
      else batch.put(key, utf8ToBytes(JSON.stringify(storedRecord(record))))
    }
    for (const { messageId, message } of changes.messages) {
      batch.put(this.#key('msg', bytesToHex(messageId)), encodeMessage(message))
    }
    for (const { messageId, from } of changes.held) {
      const key = this.#key('held', bytesToHex(messageId))
      if (from === undefined) batch.delete(key)
      else batch.put(key, utf8ToBytes(from))
    }
    for (const { groupId, peer } of changes.peers) {
      batch.put(this.#key('peer', bytesToHex(groupId), peer), new Uint8Array(0))
    }
    for (const { groupId, messageId } of changes.heads) {
      batch.put(this.#key('head', bytesToHex(groupId)), messageId)
    }
    await batch.commit(options)
  }
}

function storedRecord(record: SyncRecord): StoredRecord {
  return {
    type: record.type,
    groupId: record.groupId === undefined ? null : bytesToHex(record.groupId),
    messageId: bytesToHex(record.messageId),
    peer: record.peer,
    sendCount: record.sendCount,
    sendEpoch: record.sendEpoch,
  }
}

function parseEpoch(text: string): number {
  const epoch = Number(text)
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError('bad epoch')
  return epoch
}

function parseRecord(text: string): SyncRecord {
  const stored = JSON.parse(text) as Partial<StoredRecord>
  const { type, groupId, messageId, peer, sendCount, sendEpoch } = stored
  if (
    typeof type !== 'string' ||
    !RECORD_TYPES.includes(type) ||
    typeof messageId !== 'string' ||
    typeof peer !== 'string' ||
    !Number.isSafeInteger(sendCount) ||
    !Number.isSafeInteger(sendEpoch)
  ) {
    throw new RangeError('bad record')
  }
  return {
    type: type as RecordType,
    groupId: typeof groupId === 'string' ? hexToBytes(groupId) : undefined,
    messageId: hexToBytes(messageId),
    peer,
    sendCount: sendCount as number,
    sendEpoch: sendEpoch as number,
  }
}
