/** One call from message to encrypted data and back: encode (and sign), then encrypt. */
import type { KeyInput } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { InvalidParametersError } from '@parley/interfaces'
import { decryptAsymmetric, encryptAsymmetric } from './asymmetric.ts'
import type { DecodeLimits } from './limits.ts'
import { type DecodedPayload, decodePayload, encodePayload } from './plaintext.ts'
import { decryptSymmetric, encryptSymmetric } from './symmetric.ts'

export interface SealMessage {
  payload: Uint8Array
  /** Signs the plaintext with this 32-byte private key. */
  sigKey?: Uint8Array
  /** Custom padding, used as given; absent means random padding to a 256-byte boundary. */
  padding?: Uint8Array
  /** Encrypts with AES-256-GCM under this key … */
  symKey?: KeyInput
  /** … or with ECIES to this public key. Exactly one of the two. */
  publicKey?: Uint8Array
}

export interface SealOptions {
  secp256k1: Secp256k1Provider
}

export interface OpenOptions extends DecodeLimits {
  secp256k1: Secp256k1Provider
  /** Decrypts with this symmetric key … */
  symKey?: KeyInput
  /** … or this private key. Exactly one of the two. */
  privateKey?: Uint8Array
}

/** Encodes, optionally signs, and encrypts a payload; the result is an envelope's `Data`. */
export function seal(message: SealMessage, options: SealOptions): Uint8Array {
  const { symKey, publicKey } = message
  if ((symKey === undefined) === (publicKey === undefined)) {
    throw new InvalidParametersError('seal needs exactly one of symKey and publicKey')
  }
  const plaintext = encodePayload(
    { payload: message.payload, signingKey: message.sigKey, padding: message.padding },
    options,
  )
  return symKey !== undefined
    ? encryptSymmetric(plaintext, symKey)
    : encryptAsymmetric(plaintext, publicKey!, options)
}

/**
 * Decrypts and decodes an envelope's `Data`. On untrusted data throws only `DecodeError` or
 * `VerificationError`; a data item for another key is a `VerificationError`.
 */
export function open(data: Uint8Array, options: OpenOptions): DecodedPayload {
  const { symKey, privateKey } = options
  if ((symKey === undefined) === (privateKey === undefined)) {
    throw new InvalidParametersError('open needs exactly one of symKey and privateKey')
  }
  const plaintext =
    symKey !== undefined
      ? decryptSymmetric(data, symKey, options)
      : decryptAsymmetric(data, privateKey!, options)
  return decodePayload(plaintext, options)
}
