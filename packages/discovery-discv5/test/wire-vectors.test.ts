/**
 * discv5-wire.json through @chainsafe/discv5's own codec and crypto (`@chainsafe/discv5/packet`,
 * `./message` as exported by our patch, and the session crypto from the package root). All four
 * cases run: both handshake packets are unmasked, their authdata split, the session keys derived on
 * both sides, the message decrypted and decoded; the id-signature and AES-GCM cases directly.
 * Not covered: nothing in this file; the library exposes no API to encode a handshake with a
 * chosen ephemeral key, so packets are checked by decoding, not re-encoding.
 */
import {
  createKeypair,
  decryptMessage,
  deriveKey,
  deriveKeysFromPubkey,
  encryptMessage,
  idSign,
  idVerify,
} from '@chainsafe/discv5'
import { decode as decodeMessage, MessageType } from '@chainsafe/discv5/message'
import {
  decodeHandshakeAuthdata,
  decodePacket,
  ERR_INVALID_PROTOCOL_ID,
  encodePacket,
  PacketType,
} from '@chainsafe/discv5/packet'
import { ENR } from '@chainsafe/enr'
import { caseById, hex, loadVectors, num, str, toHex } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const cases = loadVectors('discv5-wire.json')
const secp = (init: { privateKey: Uint8Array } | { publicKey: Uint8Array }) =>
  createKeypair({ type: 'secp256k1', ...init })

describe('discv5-wire.json handshake packets', () => {
  for (const id of ['packet-ping-handshake', 'packet-ping-handshake-enr']) {
    it(id, () => {
      const { input, expected } = caseById(cases, id)
      const recipientId = str(input, 'recipient_node_id')
      const packet = decodePacket(recipientId, hex(input, 'packet'))
      expect(packet.header.protocolId).toBe('discv5')
      expect(packet.header.flag).toBe(PacketType.Handshake)
      expect(toHex(packet.header.nonce)).toBe(str(expected, 'nonce'))
      const authdata = decodeHandshakeAuthdata(packet.header.authdata)
      const record = authdata.record ?? new Uint8Array()
      expect(authdata.srcId).toBe(str(expected, 'src_node_id'))
      expect(toHex(authdata.ephPubkey)).toBe(str(expected, 'ephemeral_pubkey'))

      // Recipient side: the keys from the recipient's static key and the initiator's ephemeral key.
      const challenge = hex(expected, 'whoareyou_challenge_data')
      const recipient = secp({ privateKey: hex(input, 'recipient_key') })
      const [readKey] = deriveKeysFromPubkey(
        recipient,
        recipientId,
        authdata.srcId,
        authdata.ephPubkey,
        challenge,
      )
      expect(toHex(readKey!)).toBe(str(expected, 'read_key'))
      // Initiator side: the same key from the ephemeral private key and the recipient's public key.
      const secret = secp({ privateKey: hex(expected, 'ephemeral_key') }).deriveSecret(
        secp({ publicKey: recipient.publicKey }),
      )
      const [writeKey] = deriveKey(secret, authdata.srcId, recipientId, challenge)
      expect(toHex(writeKey!)).toBe(str(expected, 'read_key'))

      const plaintext = decryptMessage(readKey!, packet.header.nonce, packet.message, packet.messageAd!)
      const ping = decodeMessage(plaintext)
      expect(ping.type).toBe(MessageType.PING)
      if (ping.type !== MessageType.PING) return
      expect(ping.id).toBe(BigInt(`0x${str(expected, 'ping_req_id')}`))
      expect(ping.enrSeq).toBe(BigInt(num(expected, 'ping_enr_seq')))

      if (record.length > 0) {
        // The record is node A's: its key verifies the id signature over the challenge.
        const enr = ENR.decode(record)
        expect(enr.nodeId).toBe(authdata.srcId)
        const initiator = secp({ publicKey: enr.publicKey })
        expect(idVerify(initiator, challenge, authdata.ephPubkey, recipientId, authdata.idSignature)).toBe(
          true,
        )
        expect(
          idVerify(
            initiator,
            challenge.map((b, i) => (i === 0 ? b ^ 1 : b)),
            authdata.ephPubkey,
            recipientId,
            authdata.idSignature,
          ),
        ).toBe(false)
      }
    })
  }

  it('the same packet with the d5waku protocol id is refused by a discv5 decoder and read by a d5waku one', () => {
    const { input } = caseById(cases, 'packet-ping-handshake')
    const recipientId = str(input, 'recipient_node_id')
    const packet = decodePacket(recipientId, hex(input, 'packet'))
    const waku = encodePacket(recipientId, { ...packet, header: { ...packet.header, protocolId: 'd5waku' } })
    expect(() => decodePacket(recipientId, waku)).toThrow(
      expect.objectContaining({ code: ERR_INVALID_PROTOCOL_ID }),
    )
    const decoded = decodePacket(recipientId, waku, 'd5waku')
    expect(decoded.header.protocolId).toBe('d5waku')
    expect(decoded.header.authdata).toEqual(packet.header.authdata)
    expect(() => decodePacket(recipientId, hex(input, 'packet'), 'd5waku')).toThrow(
      expect.objectContaining({ code: ERR_INVALID_PROTOCOL_ID }),
    )
  })
})

describe('discv5-wire.json crypto', () => {
  it('id-signature', () => {
    const { input, expected } = caseById(cases, 'id-signature')
    const key = secp({ privateKey: hex(input, 'static_key') })
    const signature = idSign(
      key,
      hex(input, 'challenge_data'),
      hex(input, 'ephemeral_pubkey'),
      str(input, 'node_id_b'),
    )
    expect(toHex(signature)).toBe(str(expected, 'id_signature'))
  })

  it('aes-gcm', () => {
    const { input, expected } = caseById(cases, 'aes-gcm')
    const sealed = encryptMessage(
      hex(input, 'key'),
      hex(input, 'nonce'),
      hex(input, 'plaintext'),
      hex(input, 'ad'),
    )
    expect(toHex(sealed)).toBe(str(expected, 'ciphertext_with_tag'))
    expect(toHex(decryptMessage(hex(input, 'key'), hex(input, 'nonce'), sealed, hex(input, 'ad')))).toBe(
      str(input, 'plaintext'),
    )
  })
})
