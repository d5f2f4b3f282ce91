/**
 * Crypto providers: the hot paths behind one interface, so a node can use a native binding, WASM,
 * or pure JavaScript depending on what the runtime offers.
 */
export type ProviderKind = 'native' | 'wasm' | 'js'

export interface HashProvider {
  readonly name: string
  readonly kind: ProviderKind
  keccak256(data: Uint8Array): Uint8Array
}

export interface Secp256k1Provider {
  readonly name: string
  readonly kind: ProviderKind
  isValidPrivateKey(privateKey: Uint8Array): boolean
  isValidPublicKey(publicKey: Uint8Array): boolean
  /** 33-byte compressed or 65-byte uncompressed */
  getPublicKey(privateKey: Uint8Array, compressed?: boolean): Uint8Array
  convertPublicKey(publicKey: Uint8Array, compressed: boolean): Uint8Array
  /** the 32-byte x coordinate of privateKey × publicKey, unhashed (as go-ethereum's ECIES uses it) */
  ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array
  /** 65-byte `r || s || v` with v ∈ {0, 1} over a 32-byte hash (RFC 6979 nonces, low s) */
  sign(hash: Uint8Array, privateKey: Uint8Array): Uint8Array
  /** the signer's public key from a 65-byte signature */
  recover(hash: Uint8Array, signature: Uint8Array, compressed?: boolean): Uint8Array
  /** checks a 64- or 65-byte signature */
  verify(hash: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean
}
