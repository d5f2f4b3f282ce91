/** The property every Waku v2 decoder must have, shared by the service packages' codec tests. */
import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { expect } from 'vitest'

/** `decode` either decodes or throws `DecodeError`, whatever the bytes (2000 random inputs). */
export function onlyDecodeErrors(decode: (bytes: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        decode(bytes)
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError)
      }
    }),
    { numRuns: 2000 },
  )
}
