/**
 * A 1:1 chat message through every layer, without the network (issue "secure transport"): the
 * steps `Messenger.sendText` and its inbound path take for a one-to-one chat, composed from the
 * layers directly (the messenger itself adds its key-value bookkeeping and MVDS's epoch scheduler,
 * which would time the scheduler, not the message):
 *
 *   send     ChatMessage encode → ApplicationMetadataMessage (keccak256 + secp256k1 sign) → MVDS
 *            payload (message id, protobuf) → StatusSecureTransport.encrypt (Double Ratchet, session
 *            kept in a memory store) → v1 payload signed and sealed under the negotiated topic key
 *   receive  v1 payload open (AES-GCM, signer recovery) → StatusSecureTransport.decrypt → MVDS
 *            decode (message id) → ApplicationMetadataMessage unwrap (signer recovery, Status id) →
 *            ChatMessage decode
 *
 * The MVDS ACK the receiver would send back is not part of it. Sends and receives are timed
 * separately, by CPU time, in batches: the receive case's messages are sent (untimed) just before.
 */
import {
  ApplicationMessageType,
  type ChatMessage,
  ContentType,
  decodeChatMessage,
  encodeChatMessage,
  MessageType,
  unwrapMessage,
  wrapMessage,
} from '@parley/chat'
import { bytesToHex, type Secp256k1Provider } from '@parley/crypto'
import { open, seal } from '@parley/envelope'
import { NotStartedError, VerificationError } from '@parley/interfaces'
import { StatusSecureTransport } from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { decodePayload, emptyPayload, encodePayload, messageId, toOneToOneGroupId } from '@parley/sync-mvds'
import { cpuClock } from '../measure.ts'
import { CHAT_RECEIVE_TARGET, CHAT_SEND_TARGET } from '../targets.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { nodeSecp256k1, providerLabel } from './envelope-inputs.ts'
import { fillPattern } from './inputs.ts'

/** A 1 KiB text (printable ASCII), the same each time but for its Lamport clock. */
const TEXT = Array.from(fillPattern(1024, 91), (byte) => String.fromCharCode(0x20 + (byte % 95))).join('')
const NOW_MS = 1_700_000_000_000
const BATCH = 32

export interface ChatParty {
  identityKey: Uint8Array
  /** 65-byte uncompressed */
  publicKey: Uint8Array
  transport: StatusSecureTransport
}

export interface ChatLink {
  secp: Secp256k1Provider
  alice: ChatParty
  bob: ChatParty
  /** the pair's negotiated topic key (both sides derive the same) */
  topicKey: Uint8Array
  groupId: Uint8Array
  clock: bigint
}

async function party(secp: Secp256k1Provider, seed: number): Promise<ChatParty> {
  const identityKey = fillPattern(32, seed)
  const transport = new StatusSecureTransport({
    secp,
    identityKey,
    store: new MemoryKeyValueStore(),
    installationId: `bench-${seed}`,
    now: () => NOW_MS,
  })
  await transport.start()
  return { identityKey, publicKey: secp.getPublicKey(identityKey, false), transport }
}

/** Alice and Bob with Double Ratchet sessions both ways (the first contact done, untimed). */
export async function openChatLink(): Promise<ChatLink> {
  const secp = await nodeSecp256k1()
  const alice = await party(secp, 92)
  const bob = await party(secp, 93)
  const topic = await alice.transport.negotiatedTopic(bob.publicKey)
  const link: ChatLink = {
    secp,
    alice,
    bob,
    topicKey: topic.key,
    groupId: toOneToOneGroupId(secp, alice.publicKey, bob.publicKey),
    clock: 0n,
  }
  // first contact (DH), Bob's X3DH answer, then the ratchet both ways
  await receiveChat(link, bob, await sendChat(link, alice, bob))
  await receiveChat(link, alice, await sendChat(link, bob, alice))
  await receiveChat(link, bob, await sendChat(link, alice, bob))
  return link
}

export async function closeChatLink(link: ChatLink): Promise<void> {
  await link.alice.transport.stop()
  await link.bob.transport.stop()
}

/** Everything a sender does for one message; returns the v1 payload it would post. */
export async function sendChat(link: ChatLink, from: ChatParty, to: ChatParty): Promise<Uint8Array> {
  const { secp } = link
  link.clock += 1n
  const chat: ChatMessage = {
    clock: link.clock,
    timestamp: BigInt(NOW_MS),
    text: TEXT,
    responseTo: '',
    ensName: '',
    chatId: `0x${bytesToHex(to.publicKey)}`,
    messageType: MessageType.ONE_TO_ONE,
    contentType: ContentType.TEXT_PLAIN,
  }
  const wrapped = wrapMessage(
    encodeChatMessage(chat),
    ApplicationMessageType.CHAT_MESSAGE,
    from.identityKey,
    secp,
  )
  const record = { groupId: link.groupId, timestamp: BigInt(NOW_MS / 1000), body: wrapped }
  messageId(record) // MVDS keys its state by it
  const mvds = encodePayload({ ...emptyPayload(), messages: [record] })
  const protocolMessage = await from.transport.encrypt(to.publicKey, mvds)
  return seal(
    { payload: protocolMessage, sigKey: from.identityKey, symKey: link.topicKey },
    { secp256k1: secp },
  )
}

/** Everything a receiver does for one v1 payload; returns the chat message. */
export async function receiveChat(link: ChatLink, to: ChatParty, data: Uint8Array): Promise<ChatMessage> {
  const { secp } = link
  const opened = open(data, { symKey: link.topicKey, secp256k1: secp })
  if (opened.signer === undefined) throw new VerificationError('the v1 payload is not signed')
  const secure = await to.transport.decrypt(opened.signer, opened.payload)
  const [record] = decodePayload(secure.plaintext).messages
  if (record === undefined) throw new VerificationError('the MVDS payload holds no message')
  messageId(record)
  const unwrapped = unwrapMessage(record.body, secp)
  if (!unwrapped.signer.every((byte, i) => byte === opened.signer?.[i]))
    throw new VerificationError('the author is not the v1 payload signer')
  return decodeChatMessage(unwrapped.payload)
}

function chatCase(side: 'send' | 'receive', secp: Secp256k1Provider): BenchCase {
  let link: ChatLink | undefined
  return {
    id: `chat-1to1-${side}-1k`,
    group: 'chat-1to1',
    unit: 'ops/s',
    provider: providerLabel(
      secp,
      `${side === 'send' ? 'sign → MVDS → ratchet → v1 payload' : 'v1 payload → ratchet → MVDS → verify'}, per CPU-second`,
    ),
    referenceNote:
      'no reference: no other client runs these layers in-process; the figure is against its target',
    target: side === 'send' ? CHAT_SEND_TARGET : CHAT_RECEIVE_TARGET,
    async setup() {
      link = await openChatLink()
    },
    async teardown() {
      if (link !== undefined) await closeChatLink(link)
    },
    async runFor(ms): Promise<SliceResult> {
      if (link === undefined) throw new NotStartedError('chat case run before setup')
      let done = 0
      let cpuMs = 0
      while (cpuMs < ms) {
        if (side === 'send') {
          const began = cpuClock()
          for (let i = 0; i < BATCH; i++) await sendChat(link, link.alice, link.bob)
          cpuMs += cpuClock() - began
        } else {
          const stock: Uint8Array[] = []
          for (let i = 0; i < BATCH; i++) stock.push(await sendChat(link, link.alice, link.bob))
          const began = cpuClock()
          for (const data of stock) await receiveChat(link, link.bob, data)
          cpuMs += cpuClock() - began
        }
        done += BATCH
      }
      return { value: done / (cpuMs / 1000), samples: done }
    },
  }
}

export async function chatCases(): Promise<BenchCase[]> {
  const secp = await nodeSecp256k1()
  return [chatCase('send', secp), chatCase('receive', secp)]
}
