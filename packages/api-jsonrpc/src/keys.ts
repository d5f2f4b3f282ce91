/**
 * The shh_* key store: key pairs and symmetric keys in memory, each under a random 64-hex id as
 * go-ethereum hands out. Key material is only ever returned to the RPC caller who asks by id; it
 * is never logged, and `clear()` overwrites it.
 */
import { bytesToHex, randomBytes, type SymmetricKey } from '@parley/crypto'
import { createSymKey } from '@parley/envelope'
import { InvalidParametersError, LimitExceededError, NotFoundError } from '@parley/interfaces'

/** Keys of each kind held at most; the API is public-facing, so memory is bounded. */
export const DEFAULT_MAX_KEYS = 10_000
const SYM_KEY_LENGTH = 32

interface StoredSymKey {
  raw: Uint8Array
  key: SymmetricKey
}

export class ShhKeyStore {
  readonly #pairs = new Map<string, Uint8Array>()
  readonly #symKeys = new Map<string, StoredSymKey>()
  readonly #isValidPrivateKey: (key: Uint8Array) => boolean
  readonly #maxKeys: number

  constructor(isValidPrivateKey: (key: Uint8Array) => boolean, maxKeys = DEFAULT_MAX_KEYS) {
    this.#isValidPrivateKey = isValidPrivateKey
    this.#maxKeys = maxKeys
  }

  addPrivateKey(privateKey: Uint8Array): string {
    if (!this.#isValidPrivateKey(privateKey)) throw new InvalidParametersError('invalid private key')
    return this.#put(this.#pairs, privateKey.slice())
  }

  /** The private key of pair `id`; go-ethereum's "invalid id" when there is none. */
  privateKey(id: string): Uint8Array {
    const key = this.#pairs.get(id)
    if (key === undefined) throw new NotFoundError('invalid id')
    return key
  }

  hasKeyPair(id: string): boolean {
    return this.#pairs.has(id)
  }

  deleteKeyPair(id: string): boolean {
    return wipe(this.#pairs, id, (key) => key)
  }

  addSymKey(raw: Uint8Array): string {
    if (raw.length !== SYM_KEY_LENGTH) {
      throw new InvalidParametersError(`wrong key size: ${raw.length}`)
    }
    const copy = raw.slice()
    return this.#put(this.#symKeys, { raw: copy, key: createSymKey(copy) })
  }

  /** Symmetric key `id` as a cached handle; go-ethereum's "non-existent key ID" when absent. */
  symKey(id: string): SymmetricKey {
    return this.#sym(id).key
  }

  /** The raw 32 bytes of symmetric key `id`, for shh_getSymKey. */
  rawSymKey(id: string): Uint8Array {
    return this.#sym(id).raw
  }

  hasSymKey(id: string): boolean {
    return this.#symKeys.has(id)
  }

  deleteSymKey(id: string): boolean {
    return wipe(this.#symKeys, id, (stored) => stored.raw)
  }

  /** Forgets every key, overwriting what we hold. */
  clear(): void {
    for (const id of [...this.#pairs.keys()]) this.deleteKeyPair(id)
    for (const id of [...this.#symKeys.keys()]) this.deleteSymKey(id)
  }

  #sym(id: string): StoredSymKey {
    const stored = this.#symKeys.get(id)
    if (stored === undefined) throw new NotFoundError('non-existent key ID')
    return stored
  }

  #put<T>(map: Map<string, T>, value: T): string {
    if (map.size >= this.#maxKeys) throw new LimitExceededError(`key store is full (${this.#maxKeys} keys)`)
    let id = newKeyId()
    while (map.has(id)) id = newKeyId()
    map.set(id, value)
    return id
  }
}

/** 32 random bytes as 64 hex digits, no prefix: the shape of go-ethereum's key and filter ids. */
export function newKeyId(): string {
  return bytesToHex(randomBytes(32))
}

function wipe<T>(map: Map<string, T>, id: string, bytes: (value: T) => Uint8Array): boolean {
  const value = map.get(id)
  if (value === undefined) return false
  bytes(value).fill(0)
  map.delete(id)
  return true
}
