/**
 * The RLP, Snappy and Keccak that `@ethereumjs/devp2p` itself depends on, loaded from its own
 * dependency tree. They are not dependencies of this package on purpose: what "their" peer puts
 * on the wire must come from their code, not from `@parley/rlp` or our Snappy.
 */
import { createRequire } from 'node:module'

/** What ethereumjs's `RLP.encode` takes (numbers and bigints become minimal big-endian integers). */
export type TheirRlpInput = Uint8Array | number | bigint | TheirRlpInput[]
/** What ethereumjs's `RLP.decode` returns. */
export type TheirRlpValue = Uint8Array | TheirRlpValue[]

interface TheirRlp {
  encode(input: TheirRlpInput): Uint8Array
  decode(input: Uint8Array): TheirRlpValue
}

interface TheirSnappy {
  compress(input: Uint8Array): Uint8Array
  uncompress(input: Uint8Array): Uint8Array
}

const fromHere = createRequire(import.meta.url)
const fromDevp2p = createRequire(fromHere.resolve('@ethereumjs/devp2p'))

export const theirRlp = (fromDevp2p('@ethereumjs/rlp') as { RLP: TheirRlp }).RLP
export const theirSnappy = fromDevp2p('snappyjs') as TheirSnappy
export const theirKeccak256 = (
  fromDevp2p('ethereum-cryptography/keccak.js') as { keccak256(input: Uint8Array): Uint8Array }
).keccak256
