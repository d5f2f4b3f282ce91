/** The P2P Request envelope: parameters, request id, both key kinds, and refusals. */
import { bytesToHex, generatePrivateKey, loadCrypto } from '@parley/crypto'
import { envelopeHash, seal, sealEnvelope, topicToBloom } from '@parley/envelope'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_MAILSERVER_PASSWORD,
  encodeRequestPayload,
  type MailRequest,
  mailserverSymKey,
  makeRequestEnvelope,
  openRequestEnvelope,
} from '../src/index.ts'

let secp256k1: Secp256k1Provider
let symKey: Uint8Array
beforeAll(async () => {
  secp256k1 = (await loadCrypto()).secp256k1
  symKey = await mailserverSymKey()
})

const request: MailRequest = {
  lower: 1_700_000_000,
  upper: 1_700_003_600,
  bloom: topicToBloom(Uint8Array.of(1, 2, 3, 4)),
  topics: [Uint8Array.of(1, 2, 3, 4)],
  limit: 100,
  cursor: new Uint8Array(0),
  batch: true,
}

describe('request envelopes', () => {
  it('derives status-go’s key from the default password', () => {
    expect(DEFAULT_MAILSERVER_PASSWORD).toBe('status-offline-inbox')
    // Recomputed independently (Python hashlib.pbkdf2_hmac, SHA-256, empty salt, 65 356 rounds).
    expect(bytesToHex(symKey)).toBe('765df27c0765526f920ba742ff4b9452bb0064e016435ffccd81186aa6feaae8')
  })

  it('seals with TTL 50 and topic 00000000, and the request id is the envelope hash', async () => {
    const signingKey = generatePrivateKey()
    const { envelope, requestId } = await makeRequestEnvelope(
      { request, symKey, signingKey, pow: 0.01 },
      { secp256k1, now: 1_700_003_000 },
    )
    expect(envelope.ttl).toBe(50)
    expect(envelope.expiry).toBe(1_700_003_050)
    expect(envelope.topic).toEqual(new Uint8Array(4))
    expect(requestId).toEqual(envelopeHash(envelope))

    const opened = openRequestEnvelope(envelope, { symKey, secp256k1, now: 0 })
    expect(opened.request).toEqual({ ...request, layout: '2020' })
    expect(opened.signer).toEqual(secp256k1.getPublicKey(signingKey))
    expect(opened.requestId).toEqual(requestId)
  })

  it('encrypts to the server’s public key when asked, in an older layout', async () => {
    const serverKey = generatePrivateKey()
    const { envelope } = await makeRequestEnvelope(
      {
        request: { ...request, topics: [], batch: false },
        layout: 'spec',
        serverPublicKey: secp256k1.getPublicKey(serverKey),
        signingKey: generatePrivateKey(),
        pow: 0,
      },
      { secp256k1 },
    )
    const opened = openRequestEnvelope(envelope, { privateKey: serverKey, secp256k1 })
    expect(opened.request.layout).toBe('spec')
    expect(() => openRequestEnvelope(envelope, { symKey, secp256k1 })).toThrow(VerificationError)
  })

  it('refuses an unsigned request', async () => {
    const data = seal({ payload: encodeRequestPayload(request), symKey }, { secp256k1 })
    const envelope = await sealEnvelope({ topic: new Uint8Array(4), data, ttl: 50, pow: 0 })
    expect(() => openRequestEnvelope(envelope, { symKey, secp256k1 })).toThrow(VerificationError)
  })

  it('honours an aborted signal', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      makeRequestEnvelope(
        { request, symKey, signingKey: generatePrivateKey(), pow: 1000 },
        { secp256k1, signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('garbage data only ever yields DecodeError or VerificationError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (data) => {
        const envelope = { expiry: 100, ttl: 50, topic: new Uint8Array(4), data, nonce: 0n }
        try {
          openRequestEnvelope(envelope, { symKey, secp256k1 })
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof VerificationError).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })
})
