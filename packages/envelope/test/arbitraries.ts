/** fast-check inputs the v1 property tests share: garbage that reaches the field checks, and envelopes. */
import { DecodeError } from '@parley/interfaces'
import { encode, type RlpInput } from '@parley/rlp'
import fc from 'fast-check'

/** Random RLP trees, so that garbage gets past the RLP layer and reaches the field checks. */
export const rlpTree: fc.Arbitrary<RlpInput> = fc.letrec<{ node: RlpInput }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.uint8Array({ maxLength: 70 }),
    fc.bigInt({ min: 0n, max: 2n ** 70n }),
    fc.array(tie('node'), { maxLength: 6 }),
  ),
})).node

/** Raw bytes or well-formed RLP of any shape. */
export const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  rlpTree.map((tree) => encode(tree)),
)

/** Runs `decode` on `bytes`; rethrows anything but `DecodeError`. */
export function onlyDecodeError(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes)
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error
  }
}

export const topic = fc.uint8Array({ minLength: 4, maxLength: 4 })

/** Envelopes with any field values the wire can carry and up to `maxData` bytes of data. */
export const envelopeOf = (maxData: number) =>
  fc.record({
    expiry: fc.integer({ min: 0, max: 0xffff_ffff }),
    ttl: fc.integer({ min: 0, max: 0xffff_ffff }),
    topic,
    data: fc.uint8Array({ maxLength: maxData }),
    nonce: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  })
