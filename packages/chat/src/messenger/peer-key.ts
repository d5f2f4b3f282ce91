/** Peers' public keys as the messenger names them: 0x-hex, uncompressed, whatever form they came in. */
import { hexToBytes } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { keyHex } from './membership.ts'

/** `key` (0x-hex, compressed or not) as 0x-hex uncompressed; throws `InvalidParametersError`. */
export function normalizeKey(secp256k1: Secp256k1Provider, key: string): string {
  let bytes: Uint8Array
  try {
    bytes = hexToBytes(key)
  } catch (error) {
    throw new InvalidParametersError(`not a hex public key: ${key}`, { cause: error })
  }
  if (!secp256k1.isValidPublicKey(bytes)) throw new InvalidParametersError(`not a public key: ${key}`)
  return keyHex(secp256k1.convertPublicKey(bytes, false))
}
