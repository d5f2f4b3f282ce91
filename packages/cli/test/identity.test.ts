import { pluginSuite } from '@parley/compliance-tests'
import { bytesToHex, generatePrivateKey, loadCrypto } from '@parley/crypto'
import { type Components, nodeIdentity } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { identityPlugin } from '../src/node/identity.ts'

const { secp256k1 } = await loadCrypto()

pluginSuite('identity', () => identityPlugin(secp256k1, generatePrivateKey()))

describe('identityPlugin', () => {
  it('provides the node identity derived from the private key', () => {
    const privateKey = generatePrivateKey()
    const plugin = identityPlugin(secp256k1, privateKey)
    expect(plugin.provides).toEqual([nodeIdentity])
    const identity = plugin.create({} as Components)
    const publicKey = secp256k1.getPublicKey(privateKey, false)
    expect(identity.privateKey).toBe(privateKey)
    expect(bytesToHex(identity.publicKey)).toBe(bytesToHex(publicKey))
    expect(identity.nodeId).toBe(bytesToHex(publicKey.subarray(1)))
  })

  it('refuses a key that is not a valid scalar with an InvalidConfigError', () => {
    expect(() => identityPlugin(secp256k1, new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }),
    )
    expect(() => identityPlugin(secp256k1, new Uint8Array(32).fill(0xff))).toThrow(
      /not a valid secp256k1 private key/,
    )
  })
})
