/**
 * Every case of shared/vectors/status-payloads.json. The signed envelope is the one embedded in
 * `protocol-message-public` (ProtocolMessage.public_message, field 102); its signer is Alice of
 * x3dh.json `x3dh-status-go-official`, and bob's key is the chat id.
 */
import { bytesToHex, concatBytes, keccak256, loadCrypto } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { caseById, field, hex, loadVectors, num, str } from '@parley/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  ApplicationMessageType,
  bytesToTopic,
  ContentType,
  contactCodeTopicName,
  contentTopic,
  contentTopicForName,
  decodeChatMessage,
  encodeChatMessage,
  MessageType,
  SYM_KEY_PBKDF2_ITERATIONS,
  symmetricKeyFromPassword,
  topicFromName,
  topicToString,
  unwrapMessage,
  wrapMessage,
} from '../src/index.ts'

const cases = loadVectors('status-payloads.json')
const x3dh = caseById(loadVectors('x3dh.json'), 'x3dh-status-go-official')
const alicePrivate = hex(x3dh.input, 'alice_identity_priv_hex')
const bobPrivate = hex(x3dh.input, 'bob_identity_priv_hex')

let secp: Secp256k1Provider
beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

/** "TEXT_PLAIN(1)" → 1 */
function enumNumber(text: string): number {
  const match = /\((\d+)\)$/.exec(text)
  if (match?.[1] === undefined) throw new Error(`no enum number in ${text}`)
  return Number(match[1])
}

/** The ApplicationMetadataMessage inside ProtocolMessage{installation_id = 2, public_message = 102}. */
function publicMessageOf(protocolMessage: Uint8Array): Uint8Array {
  // 12 01 31 = installation_id "1"; b2 06 = field 102, wire type 2; then a 2-byte varint length.
  expect(bytesToHex(protocolMessage.subarray(0, 5))).toBe('120131b206')
  const low = protocolMessage[5] ?? 0
  const high = protocolMessage[6] ?? 0
  const length = (low & 0x7f) | (high << 7)
  expect(protocolMessage.length).toBe(7 + length)
  return protocolMessage.subarray(7)
}

describe('status-payloads.json', () => {
  const chatCase = caseById(cases, 'chat-message-pb')

  it('chat-message-pb: ChatMessage encodes byte for byte and decodes back', () => {
    const input = chatCase.input
    const bytes = encodeChatMessage({
      clock: BigInt(num(input, 'clock')),
      timestamp: BigInt(num(input, 'timestamp')),
      text: str(input, 'text'),
      responseTo: '',
      ensName: '',
      chatId: str(input, 'chat_id'),
      messageType: enumNumber(str(input, 'message_type')),
      contentType: enumNumber(str(input, 'content_type')),
    })
    expect(bytesToHex(bytes)).toBe(str(chatCase.expected, 'pb_hex'))
    const decoded = decodeChatMessage(bytes)
    expect(decoded.text).toBe(str(input, 'text'))
    expect(decoded.timestamp).toBe(BigInt(num(input, 'timestamp')))
    expect(decoded.messageType).toBe(MessageType.ONE_TO_ONE)
    expect(decoded.contentType).toBe(ContentType.TEXT_PLAIN)
    // the chat id of a one-to-one message is the recipient's key: Bob's
    expect(decoded.chatId).toBe(`0x${bytesToHex(secp.getPublicKey(bobPrivate, false))}`)
  })

  it('protocol-message-public: the embedded envelope is wrapMessage(ChatMessage) signed by Alice', () => {
    const protocolCase = caseById(cases, 'protocol-message-public')
    const envelope = publicMessageOf(hex(protocolCase.expected, 'pb_hex'))
    const wrapped = wrapMessage(
      hex(chatCase.expected, 'pb_hex'),
      ApplicationMessageType.CHAT_MESSAGE,
      alicePrivate,
      secp,
    )
    expect(bytesToHex(wrapped)).toBe(bytesToHex(envelope))

    const unwrapped = unwrapMessage(envelope, secp)
    expect(unwrapped.type).toBe(ApplicationMessageType.CHAT_MESSAGE)
    expect(bytesToHex(unwrapped.payload)).toBe(str(chatCase.expected, 'pb_hex'))
    const alicePublic = secp.getPublicKey(alicePrivate, false)
    expect(bytesToHex(unwrapped.signer)).toBe(bytesToHex(alicePublic))
    expect(bytesToHex(secp.convertPublicKey(unwrapped.signer, true))).toBe(
      str(x3dh.derived, 'alice_identity_pub_compressed'),
    )
    // signature = Sign(keccak256(payload)), v ∈ {0, 1}
    expect(unwrapped.signature).toHaveLength(65)
    expect(unwrapped.signature[64]).toBeLessThanOrEqual(1)
    expect(secp.verify(keccak256(unwrapped.payload), unwrapped.signature, alicePublic)).toBe(true)
    // no vector pins the id; it must be keccak256 over the uncompressed key then the envelope
    expect(bytesToHex(unwrapped.id)).toBe(bytesToHex(keccak256(concatBytes(alicePublic, envelope))))
  })

  for (const id of ['topic-0', 'topic-2']) {
    it(`${id}: topic and content topic of a name`, () => {
      const vector = caseById(cases, id)
      const name = str(vector.input, 'name')
      expect(bytesToHex(topicFromName(name))).toBe(str(vector.expected, 'topic_hex'))
      expect(contentTopicForName(name)).toBe(str(vector.expected, 'content_topic'))
    })
  }

  it('topic-0: the name is the contact-code topic name of Alice', () => {
    const name = str(caseById(cases, 'topic-0').input, 'name')
    expect(contactCodeTopicName(secp.getPublicKey(alicePrivate, false))).toBe(name)
  })

  it('topic-string-official: topic strings and BytesToTopic', () => {
    const vector = caseById(cases, 'topic-string-official')
    const topics = field<string[]>(vector.input, 'topics_hex')
    const strings = field<string[]>(vector.expected, 'strings')
    topics.forEach((topicHex, index) => {
      const topic = Uint8Array.from(Buffer.from(topicHex, 'hex'))
      expect(topicToString(topic)).toBe(strings[index])
      expect(contentTopic(topic)).toBe(`/waku/1/${strings[index]}/rfc26`)
    })
    const conversions = field<Array<{ data: string; topic: string }>>(vector.expected, 'bytes_to_topic')
    expect(conversions.length).toBeGreaterThan(0)
    for (const { data, topic } of conversions) {
      expect(bytesToHex(bytesToTopic(Uint8Array.from(Buffer.from(data, 'hex'))))).toBe(topic)
    }
  })

  it('public-chat-symkey: PBKDF2-SHA256, empty salt, 65356 iterations', async () => {
    const vector = caseById(cases, 'public-chat-symkey')
    expect(num(vector.input, 'iterations')).toBe(SYM_KEY_PBKDF2_ITERATIONS)
    expect(str(vector.input, 'salt_hex')).toBe('')
    const key = await symmetricKeyFromPassword(str(vector.input, 'password_utf8'))
    expect(bytesToHex(key)).toBe(str(vector.expected, 'key_hex'))
  })

  it('public-chat-symkey honours an aborted signal', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(symmetricKeyFromPassword('status', { signal: controller.signal })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    })
  })

  it('enum-values: the exported enum constants match status-go', () => {
    const expected = caseById(cases, 'enum-values').expected
    expect(ApplicationMessageType).toMatchObject(
      field<Record<string, number>>(expected, 'ApplicationMetadataMessage.Type (selected)'),
    )
    expect(MessageType).toEqual(field(expected, 'MessageType'))
    expect(ContentType).toMatchObject(
      field<Record<string, number>>(expected, 'ChatMessage.ContentType (selected)'),
    )
  })

  // waku-message-pb-0 (WakuMessage encoding, relay message id) belongs to the Waku v2 codec package.
  it('covers every case in the file', () => {
    expect(cases.map((vector) => vector.id).sort()).toEqual(
      [
        'chat-message-pb',
        'enum-values',
        'protocol-message-public',
        'public-chat-symkey',
        'topic-0',
        'topic-2',
        'topic-string-official',
        'waku-message-pb-0',
      ].sort(),
    )
  })
})
