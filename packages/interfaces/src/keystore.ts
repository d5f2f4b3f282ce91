import type { AbortOptions } from './abort.ts'

export type KeyType = 'secp256k1' | 'symmetric'

export interface StoredKey {
  id: string
  type: KeyType
  /** 32-byte private or symmetric key; never logged */
  key: Uint8Array
}

/** Keys addressed by id, as geth's `shh_addPrivateKey` / `shh_addSymKey` manage them. */
export interface KeyStore {
  put(key: StoredKey, options?: AbortOptions): Promise<void>
  get(id: string, options?: AbortOptions): Promise<StoredKey | undefined>
  delete(id: string, options?: AbortOptions): Promise<boolean>
  list(options?: AbortOptions): Promise<Array<Pick<StoredKey, 'id' | 'type'>>>
}

/** The node's secp256k1 identity, shared by devp2p and libp2p (one key per node). */
export interface NodeIdentity {
  readonly privateKey: Uint8Array
  /** 65-byte uncompressed public key */
  readonly publicKey: Uint8Array
  /** devp2p node id: the public key without its 0x04 prefix, hex */
  readonly nodeId: string
}
