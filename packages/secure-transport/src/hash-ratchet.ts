/**
 * The hash ratchet status-go uses for groups and communities (encryptor.go `EncryptWithHR`,
 * `DecryptWithHR`; helpers.go `generateHashRatchetKeyID`). Every member holds a group key; message
 * number n (`seq_no`) is encrypted with keccak256 applied n times to the key, AES-256-GCM as
 * `EncryptSymmetric`. seq_no 0 marks a key-exchange message whose payload is not encrypted. A sender
 * continues from the highest number it has seen. How keys reach members (`HRHeader.keys`, sent over
 * 1:1 sessions) is not implemented here: keys are handed in with `addGroupKey`.
 */
import { bytesToHex, concatBytes, keccak256 } from '@parley/crypto'
import { type AbortOptions, UnsupportedError } from '@parley/interfaces'
import { TooManySkippedError, UnknownGroupKeyError } from './errors.ts'
import type { EncryptedMessage, HRHeader } from './protocol-message.ts'
import type { GroupKeyRecord, SessionStore } from './session-store.ts'
import type { SessionBatch } from './store-cache.ts'
import { openSymmetric, sealSymmetric } from './symmetric.ts'

/** status-go maxHashRatchetSeqNoDelta: the most hash steps one message may ask for. */
export const MAX_HASH_RATCHET_STEPS = 100_000

export interface GroupKey {
  /** the group (community) id, bytes as status-go keeps them */
  groupId: Uint8Array
  /** key creation time in ms (status-go `Timestamp`) */
  timestamp: bigint
  /** 32-byte key */
  key: Uint8Array
}

/** keccak256(group_id || uint64_le(timestamp) || key). */
export function hashRatchetKeyId(groupId: Uint8Array, timestamp: bigint, key: Uint8Array): Uint8Array {
  const time = new Uint8Array(8)
  new DataView(time.buffer).setBigUint64(0, BigInt.asUintN(64, timestamp), true)
  return keccak256(concatBytes(groupId, time, key))
}

/** keccak256 applied `steps` times to `hash`. */
export function hashRatchetStep(hash: Uint8Array, steps: number): Uint8Array {
  let out = hash
  for (let i = 0; i < steps; i++) out = keccak256(out)
  return out
}

export class GroupCipher {
  readonly #store: SessionStore

  constructor(store: SessionStore) {
    this.#store = store
  }

  /** Stores a group key (keeping what we know of its chain if already stored); resolves with its key id. */
  async addKey(groupKey: GroupKey, batch: SessionBatch, options?: AbortOptions): Promise<Uint8Array> {
    const keyId = hashRatchetKeyId(groupKey.groupId, groupKey.timestamp, groupKey.key)
    if ((await this.#store.groupKey(keyId, options)) === undefined) {
      this.#store.putGroupKey(batch, { ...groupKey, keyId, seqNo: 0, hash: groupKey.key.slice() })
    }
    return keyId
  }

  async #record(keyId: Uint8Array, options?: AbortOptions): Promise<GroupKeyRecord> {
    const record = await this.#store.groupKey(keyId, options)
    if (record === undefined) throw new UnknownGroupKeyError(`no group key ${bytesToHex(keyId)}`)
    return record
  }

  /** The next message with this key: one step past the highest number seen or sent. */
  async encrypt(
    keyId: Uint8Array,
    plaintext: Uint8Array,
    batch: SessionBatch,
    options?: AbortOptions,
  ): Promise<EncryptedMessage> {
    const record = await this.#record(keyId, options)
    const hash = keccak256(record.hash)
    const seqNo = record.seqNo + 1
    this.#store.putGroupKey(batch, { ...record, seqNo, hash })
    const header: HRHeader = {
      deprecatedKeyId: Number(BigInt.asUintN(32, record.timestamp)),
      seqNo,
      groupId: record.groupId,
      keyId: record.keyId,
    }
    return { hr: header, payload: sealSymmetric(hash, plaintext) }
  }

  async decrypt(
    header: HRHeader,
    payload: Uint8Array,
    batch: SessionBatch,
    options?: AbortOptions,
  ): Promise<Uint8Array> {
    if (header.keyId.length === 0) {
      throw new UnsupportedError('hash-ratchet message with an old-format (uint32) key id')
    }
    const record = await this.#record(header.keyId, options)
    // Key exchange only: status-go hands the payload on as it is.
    if (header.seqNo === 0) return payload
    const fromCache = header.seqNo >= record.seqNo
    const steps = fromCache ? header.seqNo - record.seqNo : header.seqNo
    if (steps > MAX_HASH_RATCHET_STEPS) throw new TooManySkippedError('hash-ratchet seq no is too far ahead')
    const hash = hashRatchetStep(fromCache ? record.hash : record.key, steps)
    const plaintext = openSymmetric(hash, payload, 'hash-ratchet')
    if (header.seqNo > record.seqNo) this.#store.putGroupKey(batch, { ...record, seqNo: header.seqNo, hash })
    return plaintext
  }
}
