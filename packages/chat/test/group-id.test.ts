import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { toOneToOneGroupId } from '@parley/sync-mvds'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { oneToOneGroupId } from '../src/messenger/group-id.ts'

const { secp256k1: secp } = await loadCrypto()

describe('one-to-one MVDS group id', () => {
  it('is the same as sync-mvds computes, from either side and for either key form', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const a = secp.getPublicKey(generatePrivateKey(), false)
        const b = secp.getPublicKey(generatePrivateKey(), true)
        const ours = oneToOneGroupId(secp, a, b)
        expect(ours).toEqual(toOneToOneGroupId(secp, a, b))
        expect(oneToOneGroupId(secp, b, a)).toEqual(ours)
      }),
      { numRuns: 50 },
    )
  })
})
