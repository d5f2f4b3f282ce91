import { bytesToHex, eciesEncrypt, keccak256 as keccak, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { DecodeError, LimitExceededError, VerificationError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { FrameCoder } from '../src/frame/codec.ts'
import { LEGACY_ACK_LENGTH, openAck, sealAck } from '../src/handshake/ack.ts'
import { openAuth, sealAuth } from '../src/handshake/auth.ts'
import { eip8PacketLength, MAX_HANDSHAKE_SIZE, sealEip8 } from '../src/handshake/eip8.ts'
import { Initiator, Recipient } from '../src/handshake/handshake.ts'
import { HandshakePacketReader } from '../src/handshake/packet-reader.ts'
import { deriveSecrets } from '../src/handshake/secrets.ts'
import { field, hex, loadVectors, unhex, vectorCase } from './vectors.ts'

const cases = loadVectors('rlpx-eip8.json')
const keys = vectorCase(cases, 'eip8-handshake-keys')
const key = (name: string): Uint8Array => unhex(field(keys.input, name))
let secp: Awaited<ReturnType<typeof loadCrypto>>['secp256k1']

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

const isWireError = (error: unknown): boolean =>
  error instanceof DecodeError || error instanceof VerificationError || error instanceof LimitExceededError

describe('EIP-8 vectors', () => {
  it('derives the published public keys', () => {
    for (const [priv, pub] of [
      ['static_key_a', 'static_pub_a'],
      ['static_key_b', 'static_pub_b'],
      ['ephemeral_key_a', 'ephemeral_pub_a'],
      ['ephemeral_key_b', 'ephemeral_pub_b'],
    ] as const)
      expect(hex(secp.getPublicKey(key(priv), false).subarray(1))).toBe(field(keys.expected, pub))
  })

  it('decodes Auth2 and recovers the initiator ephemeral key', () => {
    const c = vectorCase(cases, 'auth2-eip8-v4')
    const packet = unhex(field(c.input, 'packet'))
    const message = openAuth(secp, unhex(field(c.input, 'recipient_static_key')), packet)
    expect(hex(message.signature)).toBe(field(c.expected, 'signature'))
    expect(hex(message.initiatorPublicKey)).toBe(field(c.expected, 'initiator_pubk'))
    expect(hex(message.nonce)).toBe(field(c.expected, 'initiator_nonce'))
    expect(message.version).toBe(field<number>(c.expected, 'auth_vsn'))
    expect(message.rest.length).toBe(field<unknown[]>(c.expected, 'rest_raw_rlp').length)
    const recipient = new Recipient({ secp, privateKey: unhex(field(c.input, 'recipient_static_key')) })
    expect(hex(recipient.readAuth(packet).remoteEphemeralPublicKey)).toBe(
      field(c.expected, 'recovered_ephemeral_pub'),
    )
  })

  it('decodes Ack2', () => {
    const c = vectorCase(cases, 'ack2-eip8-v4')
    const message = openAck(
      secp,
      unhex(field(c.input, 'initiator_static_key')),
      unhex(field(c.input, 'packet')),
    )
    expect(hex(message.ephemeralPublicKey)).toBe(field(c.expected, 'recipient_ephemeral_pubk'))
    expect(hex(message.nonce)).toBe(field(c.expected, 'recipient_nonce'))
    expect(message.version).toBe(field<number>(c.expected, 'ack_vsn'))
    expect(message.rest.length).toBe(field<unknown[]>(c.expected, 'rest_raw_rlp').length)
  })

  it('rejects pre-EIP-8 Ack1 by default (as go-ethereum) and decodes it with allowLegacy', () => {
    const c = vectorCase(cases, 'ack1-legacy-pre-eip8')
    const packet = unhex(field(c.input, 'packet'))
    const priv = unhex(field(c.input, 'initiator_static_key'))
    expect(packet.length).toBe(LEGACY_ACK_LENGTH)
    expect(() => openAck(secp, priv, packet)).toThrow(DecodeError)
    const message = openAck(secp, priv, packet, { allowLegacy: true })
    expect(hex(message.ephemeralPublicKey)).toBe(field(c.expected, 'recipient_ephemeral_pubk'))
    expect(hex(message.nonce)).toBe(field(c.expected, 'recipient_nonce'))
    expect(message.legacy).toBe(true)
  })

  it('derives the published secrets from the vector inputs', () => {
    const c = vectorCase(cases, 'secrets-auth2-ack2-at-recipient')
    const secrets = deriveSecrets({
      secp,
      initiator: false,
      ephemeralPrivateKey: unhex(field(c.input, 'recipient_ephemeral_key')),
      remoteEphemeralPublicKey: unhex(field(c.input, 'initiator_ephemeral_pub')),
      remotePublicKey: unhex(field(keys.expected, 'static_pub_a')),
      initiatorNonce: unhex(field(c.input, 'initiator_nonce')),
      recipientNonce: unhex(field(c.input, 'recipient_nonce')),
      authPacket: unhex(field(c.input, 'auth_packet')),
      ackPacket: unhex(field(c.input, 'ack_packet')),
    })
    expect(hex(secrets.aes)).toBe(field(c.expected, 'aes_secret'))
    expect(hex(secrets.mac)).toBe(field(c.expected, 'mac_secret'))
    expect(hex(secrets.ingressMac.update(utf8ToBytes('foo')).digest())).toBe(
      field(c.expected, 'ingress_mac_digest_after_foo'),
    )
  })

  it('a Recipient fed Auth2 with the vector keys reaches the published secrets', () => {
    const c = vectorCase(cases, 'secrets-auth2-ack2-at-recipient')
    const recipient = new Recipient({
      secp,
      privateKey: unhex(field(c.input, 'recipient_static_key')),
      ephemeralPrivateKey: unhex(field(c.input, 'recipient_ephemeral_key')),
      nonce: unhex(field(c.input, 'recipient_nonce')),
    })
    recipient.readAuth(unhex(field(c.input, 'auth_packet')))
    recipient.makeAck() // a fresh ack: only the egress MAC depends on its bytes
    const secrets = recipient.secrets()
    expect(hex(secrets.aes)).toBe(field(c.expected, 'aes_secret'))
    expect(hex(secrets.mac)).toBe(field(c.expected, 'mac_secret'))
    expect(hex(secrets.remotePublicKey)).toBe(field(keys.expected, 'static_pub_a'))
    expect(hex(secrets.ingressMac.update(utf8ToBytes('foo')).digest())).toBe(
      field(c.expected, 'ingress_mac_digest_after_foo'),
    )
  })

  it('an Initiator fed Ack2 with the vector keys reaches the published secrets', () => {
    const c = vectorCase(cases, 'secrets-auth2-ack2-at-recipient')
    const initiator = new Initiator({
      secp,
      privateKey: key('static_key_a'),
      ephemeralPrivateKey: key('ephemeral_key_a'),
      nonce: key('nonce_a'),
      remotePublicKey: unhex(field(keys.expected, 'static_pub_b')),
    })
    initiator.makeAuth()
    const secrets = initiator.readAck(unhex(field(c.input, 'ack_packet')))
    expect(hex(secrets.aes)).toBe(field(c.expected, 'aes_secret'))
    expect(hex(secrets.mac)).toBe(field(c.expected, 'mac_secret'))
    // the initiator's ingress is the recipient's egress: (mac ^ initiator-nonce) || ack
    expect(hex(secrets.ingressMac.digest())).toBe(field(c.derived, 'recipient_egress_mac_initial_digest'))
  })
})

describe('handshake packets', () => {
  it('pads with 100..199 zero bytes and decodes with extra elements and trailing data', () => {
    const recipientKey = key('static_key_b')
    const recipientPub = secp.getPublicKey(recipientKey, false)
    const auth = sealAuth(secp, recipientPub, {
      signature: new Uint8Array(65),
      initiatorPublicKey: new Uint8Array(64).fill(1),
      nonce: new Uint8Array(32).fill(2),
    })
    const bodyLength = encode([new Uint8Array(65), new Uint8Array(64), new Uint8Array(32), 4]).length
    const padding = auth.length - 2 - 113 - bodyLength
    expect(padding).toBeGreaterThanOrEqual(100)
    expect(padding).toBeLessThan(200)
    // version 5, an extra element and junk after the list: all ignored
    const future = encode([new Uint8Array(64).fill(3), new Uint8Array(32).fill(4), 5, [1, 2]])
    const packet = sealEip8(secp, recipientPub, future, { padding: utf8ToBytes('junk') })
    const ack = openAck(secp, recipientKey, packet)
    expect(ack.version).toBe(5)
    expect(ack.rest.length).toBe(1)
    expect(bytesToHex(ack.nonce)).toBe('04'.repeat(32))
  })

  it('rejects packets over 2048 bytes', () => {
    expect(eip8PacketLength(Uint8Array.of(0x08, 0x00))).toBe(MAX_HANDSHAKE_SIZE + 2)
    expect(() => eip8PacketLength(Uint8Array.of(0x08, 0x01))).toThrow(LimitExceededError)
    const pub = secp.getPublicKey(key('static_key_b'), false)
    expect(() => sealEip8(secp, pub, new Uint8Array(1900), { padding: new Uint8Array(100) })).toThrow(
      LimitExceededError,
    )
  })

  it('rejects a short list, wrong field sizes and a bad MAC', () => {
    const priv = key('static_key_b')
    const pub = secp.getPublicKey(priv, false)
    const short = sealEip8(secp, pub, encode([new Uint8Array(64), new Uint8Array(32)]))
    expect(() => openAck(secp, priv, short)).toThrow(DecodeError)
    const wrongNonce = sealAck(secp, pub, {
      ephemeralPublicKey: new Uint8Array(64),
      nonce: new Uint8Array(31),
    })
    expect(() => openAck(secp, priv, wrongNonce)).toThrow(DecodeError)
    const tampered = sealAck(secp, pub, { ephemeralPublicKey: new Uint8Array(64), nonce: new Uint8Array(32) })
    tampered[100] = tampered[100]! ^ 1
    expect(() => openAck(secp, priv, tampered)).toThrow(VerificationError)
    // a legacy-sized packet without allowLegacy is read as EIP-8 and fails cleanly
    const legacySized = eciesEncrypt(secp, pub, new Uint8Array(97))
    expect(() => openAck(secp, priv, legacySized)).toThrow(DecodeError)
  })

  it('garbage makes auth/ack decoders throw only wire errors (fast-check)', () => {
    const priv = key('static_key_b')
    const pub = secp.getPublicKey(priv, false)
    const recipient = () => new Recipient({ secp, privateKey: priv, allowLegacy: true })
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (junk, sealed) => {
        // sealed: a valid ECIES envelope around junk, so the RLP layer is exercised too
        const packet = sealed ? sealEip8(secp, pub, junk, { padding: new Uint8Array(0) }) : junk
        for (const read of [
          () => recipient().readAuth(packet),
          () => openAck(secp, priv, packet, { allowLegacy: true }),
        ]) {
          try {
            read()
          } catch (error) {
            if (!isWireError(error)) throw error
          }
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe('Initiator ↔ Recipient', () => {
  it('completes with random keys and mirrored secrets (fast-check)', () => {
    const privateKey = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((k) => secp.isValidPrivateKey(k))
    fc.assert(
      fc.property(privateKey, privateKey, (a, b) => {
        const initiator = new Initiator({ secp, privateKey: a, remotePublicKey: secp.getPublicKey(b, false) })
        const recipient = new Recipient({ secp, privateKey: b })
        const auth = recipient.readAuth(initiator.makeAuth())
        expect(hex(auth.initiatorPublicKey)).toBe(hex(secp.getPublicKey(a, false).subarray(1)))
        const mine = initiator.readAck(recipient.makeAck())
        const theirs = recipient.secrets()
        expect(hex(mine.aes)).toBe(hex(theirs.aes))
        expect(hex(mine.mac)).toBe(hex(theirs.mac))
        expect(hex(mine.egressMac.digest())).toBe(hex(theirs.ingressMac.digest()))
        expect(hex(mine.ingressMac.digest())).toBe(hex(theirs.egressMac.digest()))
        expect(hex(mine.remotePublicKey)).toBe(hex(secp.getPublicKey(b, false).subarray(1)))
      }),
      { numRuns: 20 },
    )
  })

  it('a legacy auth gets a legacy ack when allowed', () => {
    // build a pre-EIP-8 auth by hand from the vector keys
    const a = key('static_key_a')
    const b = key('static_key_b')
    const ephemeral = key('ephemeral_key_a')
    const nonce = key('nonce_a')
    const shared = secp.ecdh(a, secp.getPublicKey(b, false))
    const signed = shared.map((x, i) => x ^ nonce[i]!)
    const ephemeralPub = secp.getPublicKey(ephemeral, false).subarray(1)
    const plain = new Uint8Array(194)
    plain.set(secp.sign(signed, ephemeral), 0)
    plain.set(keccak(ephemeralPub), 65)
    plain.set(secp.getPublicKey(a, false).subarray(1), 97)
    plain.set(nonce, 161)
    const legacyAuth = eciesEncrypt(secp, secp.getPublicKey(b, false), plain)
    expect(() => new Recipient({ secp, privateKey: b }).readAuth(legacyAuth)).toThrow(DecodeError)
    const recipient = new Recipient({ secp, privateKey: b, allowLegacy: true })
    expect(hex(recipient.readAuth(legacyAuth).remoteEphemeralPublicKey)).toBe(hex(ephemeralPub))
    const ack = recipient.makeAck()
    expect(ack.length).toBe(LEGACY_ACK_LENGTH)
    expect(openAck(secp, a, ack, { allowLegacy: true }).legacy).toBe(true)
  })
})

describe('HandshakePacketReader', () => {
  it('reassembles auth and ack from pieces and hands the bytes after them to the frame reader', () => {
    const a = key('static_key_a')
    const b = key('static_key_b')
    const initiator = new Initiator({ secp, privateKey: a, remotePublicKey: secp.getPublicKey(b, false) })
    const recipient = new Recipient({ secp, privateKey: b })
    const authReader = new HandshakePacketReader({ kind: 'auth' })
    const auth = initiator.makeAuth()
    expect(authReader.push(auth.subarray(0, 1))).toBeUndefined()
    expect(authReader.push(auth.subarray(1, 100))).toBeUndefined()
    const gotAuth = authReader.push(auth.subarray(100))
    expect(gotAuth?.rest.length).toBe(0)
    recipient.readAuth(gotAuth!.packet)
    // the recipient sends its ack and its first frame in one piece
    const ack = recipient.makeAck()
    const firstFrame = new FrameCoder(recipient.secrets()).writeFrame(Uint8Array.of(0x80, 1, 2))
    const ackReader = new HandshakePacketReader({ kind: 'ack' })
    const gotAck = ackReader.push(Buffer.concat([ack, firstFrame]))
    expect(hex(gotAck!.packet)).toBe(hex(ack))
    const frames = new FrameCoder(initiator.readAck(gotAck!.packet)).push(gotAck!.rest)
    expect(frames.map(hex)).toEqual(['800102'])
    expect(() => ackReader.push(new Uint8Array(1))).toThrow()
  })

  it('refuses an oversized prefix at once and reads legacy packets by length when allowed', () => {
    expect(() => new HandshakePacketReader({ kind: 'auth' }).push(Uint8Array.of(0x08, 0x01))).toThrow(
      LimitExceededError,
    )
    const ack1 = unhex(field(vectorCase(cases, 'ack1-legacy-pre-eip8').input, 'packet'))
    const reader = new HandshakePacketReader({ kind: 'ack', allowLegacy: true })
    expect(reader.push(ack1.subarray(0, 209))).toBeUndefined()
    expect(reader.push(ack1.subarray(209))?.packet.length).toBe(LEGACY_ACK_LENGTH)
    // without allowLegacy, 04 9f is read as an EIP-8 prefix of 1183 bytes and waits for more
    expect(new HandshakePacketReader({ kind: 'ack' }).push(ack1)).toBeUndefined()
  })
})
