/**
 * Everything the secure transport must not lose, in a `KeyValueStore` (status-go keeps the same in
 * its encryption SQLite database, persistence.go): our signed prekeys, the prekeys of known
 * installations, and one record per Double Ratchet session (its whole state, skipped keys included).
 * Values are UTF-8 JSON; they hold private keys, so the store should be a protected one. What every
 * message reads is also kept decoded in memory (store-cache.ts), written through on commit.
 */
import { bytesToHex, hexToBytes, utf8ToBytes } from '@parley/crypto'
import { AbortError, type AbortOptions, DecodeError, type KeyValueStore } from '@parley/interfaces'
import { decodeSessionRecord, encodeSessionRecord, isBinarySessionRecord } from './session-record.ts'
import { ListCache, SessionBatch } from './store-cache.ts'

/** A signed prekey of ours; the newest unexpired one is in our bundle. */
export interface OwnPreKey {
  privateKey: Uint8Array
  publicKey: Uint8Array
  version: number
  /** ms since the epoch */
  createdAt: number
  expired: boolean
}

/** What we know of one installation of some identity (ours included), from its newest bundle. */
export interface InstallationRecord {
  identity: Uint8Array
  installationId: string
  signedPreKey: Uint8Array
  version: number
  protocolVersion: number
  /** the bundle's timestamp, ns */
  timestamp: bigint
  /** others' installations are enabled when seen; our own only once paired */
  enabled: boolean
}

/** One Double Ratchet session with one installation, started from one signed prekey (bundle id). */
export interface SessionRecord {
  identity: Uint8Array
  installationId: string
  /** the responder's signed prekey (status-go "bundle id") */
  bundleId: Uint8Array
  /** X3DH shared key; the lowest one wins when two sessions with an installation compete */
  sharedKey: Uint8Array
  /** our ephemeral key while the peer has not replied; it travels in an X3DH header until then */
  ephemeralKey?: Uint8Array
  /** set when our signed prekey the session was started from has been replaced */
  expired: boolean
  /** `RatchetSession.serialize()` */
  state: Uint8Array
}

/** A hash-ratchet group key and the newest step of its hash chain we have seen or sent. */
export interface GroupKeyRecord {
  groupId: Uint8Array
  keyId: Uint8Array
  /** ms; status-go's `Timestamp`, also the old uint32 key id */
  timestamp: bigint
  key: Uint8Array
  /** highest seq no seen or sent, and keccak256^seqNo(key); 0 and the key itself at first */
  seqNo: number
  hash: Uint8Array
}

export function throwIfAborted(options?: AbortOptions): void {
  if (options?.signal?.aborted) throw new AbortError()
}

const text = new TextDecoder()
const json = (value: unknown): Uint8Array => utf8ToBytes(JSON.stringify(value))
const idHex = (installationId: string): string => bytesToHex(utf8ToBytes(installationId))

function parse(bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text.decode(bytes))
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  } catch {}
  throw new DecodeError(`secure-transport store: ${what} record is corrupt`)
}

function hex(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new DecodeError('secure-transport store: expected hex')
  return hexToBytes(value)
}

function num(value: unknown): number {
  if (typeof value !== 'number') throw new DecodeError('secure-transport store: expected a number')
  return value
}

export class SessionStore {
  readonly #store: KeyValueStore
  readonly #prefix: string
  readonly #ownPreKeys = new ListCache<OwnPreKey>()
  readonly #installations = new ListCache<InstallationRecord>()
  readonly #sessions = new ListCache<SessionRecord>()

  constructor(store: KeyValueStore, prefix: string) {
    this.#store = store
    this.#prefix = prefix
  }

  #key(...parts: string[]): Uint8Array {
    return utf8ToBytes(`${this.#prefix}${parts.join('/')}`)
  }

  async #values(prefix: Uint8Array, options?: AbortOptions): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const [, value] of this.#store.entries({ ...options, prefix })) out.push(value)
    return out
  }

  /** The records under `prefix`, keyed by what follows it (as `ListCache` wants them). */
  async #load<T>(
    prefix: string,
    decode: (bytes: Uint8Array) => T,
    options?: AbortOptions,
  ): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = []
    const start = this.#key(prefix).length
    for await (const [key, value] of this.#store.entries({ ...options, prefix: this.#key(prefix) })) {
      out.push([text.decode(key.subarray(start)), decode(value)])
    }
    return out
  }

  batch(): SessionBatch {
    return new SessionBatch(this.#store.batch())
  }

  /** Forgets the in-memory copies (the next reads load from the store). */
  clearCache(): void {
    this.#ownPreKeys.clear()
    this.#installations.clear()
    this.#sessions.clear()
  }

  async getInstallationId(options?: AbortOptions): Promise<string | undefined> {
    const value = await this.#store.get(this.#key('installation-id'), options)
    return value === undefined ? undefined : text.decode(value)
  }

  async setInstallationId(id: string, options?: AbortOptions): Promise<void> {
    await this.#store.put(this.#key('installation-id'), utf8ToBytes(id), options)
  }

  /** Our prekeys; the records are shared with the cache, so treat them as read-only. */
  async ownPreKeys(options?: AbortOptions): Promise<OwnPreKey[]> {
    return this.#ownPreKeys.list('own-prekey/', () =>
      this.#load('own-prekey/', (bytes) => this.#ownPreKey(bytes), options),
    )
  }

  #ownPreKey(bytes: Uint8Array): OwnPreKey {
    const record = parse(bytes, 'prekey')
    return {
      privateKey: hex(record.privateKey),
      publicKey: hex(record.publicKey),
      version: num(record.version),
      createdAt: num(record.createdAt),
      expired: record.expired === true,
    }
  }

  putOwnPreKey(batch: SessionBatch, key: OwnPreKey): void {
    const item = bytesToHex(key.publicKey)
    this.#ownPreKeys.set(batch, 'own-prekey/', item, key)
    batch.put(
      this.#key('own-prekey', item),
      json({
        privateKey: bytesToHex(key.privateKey),
        publicKey: bytesToHex(key.publicKey),
        version: key.version,
        createdAt: key.createdAt,
        expired: key.expired,
      }),
    )
  }

  /** `identity`'s installations; shared with the cache, so read-only. */
  async installations(identity: Uint8Array, options?: AbortOptions): Promise<InstallationRecord[]> {
    const prefix = `installation/${bytesToHex(identity)}/`
    return this.#installations.list(prefix, () =>
      this.#load(prefix, (bytes) => this.#installation(bytes), options),
    )
  }

  #installation(bytes: Uint8Array): InstallationRecord {
    const record = parse(bytes, 'installation')
    return {
      identity: hex(record.identity),
      installationId: String(record.installationId),
      signedPreKey: hex(record.signedPreKey),
      version: num(record.version),
      protocolVersion: num(record.protocolVersion),
      timestamp: BigInt(String(record.timestamp)),
      enabled: record.enabled === true,
    }
  }

  putInstallation(batch: SessionBatch, record: InstallationRecord): void {
    const identity = bytesToHex(record.identity)
    const item = idHex(record.installationId)
    this.#installations.set(batch, `installation/${identity}/`, item, record)
    batch.put(
      this.#key('installation', identity, item),
      json({
        identity: bytesToHex(record.identity),
        installationId: record.installationId,
        signedPreKey: bytesToHex(record.signedPreKey),
        version: record.version,
        protocolVersion: record.protocolVersion,
        timestamp: record.timestamp.toString(),
        enabled: record.enabled,
      }),
    )
  }

  async sessions(
    identity: Uint8Array,
    installationId: string,
    options?: AbortOptions,
  ): Promise<SessionRecord[]> {
    const prefix = `session/${bytesToHex(identity)}/${idHex(installationId)}/`
    return this.#sessions.list(prefix, () => this.#load(prefix, (bytes) => this.#session(bytes), options))
  }

  #session(bytes: Uint8Array): SessionRecord {
    if (isBinarySessionRecord(bytes)) return decodeSessionRecord(bytes)
    // written before the binary form (session-record.ts)
    const record = parse(bytes, 'session')
    return {
      identity: hex(record.identity),
      installationId: String(record.installationId),
      bundleId: hex(record.bundleId),
      sharedKey: hex(record.sharedKey),
      ...(typeof record.ephemeralKey === 'string' ? { ephemeralKey: hex(record.ephemeralKey) } : {}),
      expired: record.expired === true,
      state: utf8ToBytes(String(record.state)),
    }
  }

  /** Every session (a full scan: used once per bundle refresh). */
  async allSessions(options?: AbortOptions): Promise<SessionRecord[]> {
    const values = await this.#values(this.#key('session', ''), options)
    return values.map((bytes) => this.#session(bytes))
  }

  putSession(batch: SessionBatch, record: SessionRecord): void {
    const prefix = `session/${bytesToHex(record.identity)}/${idHex(record.installationId)}/`
    const item = bytesToHex(record.bundleId)
    this.#sessions.set(batch, prefix, item, record)
    batch.put(this.#key(`${prefix}${item}`), encodeSessionRecord(record))
  }

  async groupKey(keyId: Uint8Array, options?: AbortOptions): Promise<GroupKeyRecord | undefined> {
    const bytes = await this.#store.get(this.#key('group-key', bytesToHex(keyId)), options)
    if (bytes === undefined) return undefined
    const record = parse(bytes, 'group key')
    return {
      groupId: hex(record.groupId),
      keyId: hex(record.keyId),
      timestamp: BigInt(String(record.timestamp)),
      key: hex(record.key),
      seqNo: num(record.seqNo),
      hash: hex(record.hash),
    }
  }

  putGroupKey(batch: SessionBatch, record: GroupKeyRecord): void {
    batch.put(
      this.#key('group-key', bytesToHex(record.keyId)),
      json({
        groupId: bytesToHex(record.groupId),
        keyId: bytesToHex(record.keyId),
        timestamp: record.timestamp.toString(),
        key: bytesToHex(record.key),
        seqNo: record.seqNo,
        hash: bytesToHex(record.hash),
      }),
    )
  }
}
