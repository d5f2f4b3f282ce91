/**
 * Private group chats as status-go runs them (protocol/v1/membership_update_message.go,
 * protocol/protobuf/membership_update_message.proto): a group is the fold of signed membership
 * events. Each event is `signature(65) || encoded MembershipUpdateEvent`, the signature being
 * Sign(keccak256(utf8(chatId) || encoded event)). Every group message carries all events, so a
 * member who missed the creation still learns the group from any later message.
 */
import { bytesToHex, concatBytes, keccak256, utf8ToBytes } from '@parley/crypto'
import { DecodeError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import protobuf from 'protobufjs'
import { type ChatMessage, decodeChatMessage, encodeChatMessage } from '../chat-message.ts'
import {
  bytesField,
  decodePlain,
  numberField,
  plainBytes,
  stringField,
  uint64Field,
} from '../proto/decode.ts'

const SCHEMA = `
syntax = "proto3";
message MembershipUpdateEvent {
  uint64 clock = 1;
  repeated string members = 2;
  string name = 3;
  int32 type = 4;
}
message MembershipUpdateMessage {
  string chat_id = 1;
  repeated bytes events = 2;
  bytes message = 3;
}
`
const root = protobuf.parse(SCHEMA, { keepCase: true }).root
const EventType = root.lookupType('MembershipUpdateEvent')
const MessageType = root.lookupType('MembershipUpdateMessage')

/** `MembershipUpdateEvent.EventType`, the values this package applies. */
export const MembershipEventType = {
  CHAT_CREATED: 1,
  NAME_CHANGED: 2,
  MEMBERS_ADDED: 3,
  MEMBER_JOINED: 4,
  MEMBER_REMOVED: 5,
  ADMINS_ADDED: 6,
  ADMIN_REMOVED: 7,
} as const

export interface MembershipEvent {
  clock: bigint
  type: number
  /** 0x-hex uncompressed public keys */
  members: string[]
  name: string
}

export interface SignedMembershipEvent extends MembershipEvent {
  /** 0x-hex uncompressed key of the signer */
  from: string
  /** the wire form: signature || encoded event */
  raw: Uint8Array
}

export interface MembershipUpdate {
  chatId: string
  events: Uint8Array[]
  message?: ChatMessage
}

export interface GroupState {
  id: string
  name: string
  /** 0x-hex uncompressed keys, creator included */
  members: string[]
  admins: string[]
  creator: string
}

export function keyHex(publicKey: Uint8Array): string {
  return `0x${bytesToHex(publicKey)}`
}

function signatureMaterial(chatId: string, encoded: Uint8Array): Uint8Array {
  return keccak256(concatBytes(utf8ToBytes(chatId), encoded))
}

export function signMembershipEvent(
  chatId: string,
  event: MembershipEvent,
  signingKey: Uint8Array,
  secp: Secp256k1Provider,
): Uint8Array {
  const encoded = plainBytes(
    EventType.encode(
      EventType.fromObject({
        clock: event.clock.toString(),
        members: event.members,
        name: event.name,
        type: event.type,
      }),
    ).finish(),
  )
  return concatBytes(secp.sign(signatureMaterial(chatId, encoded), signingKey), encoded)
}

/** The two events that create a group: CHAT_CREATED (the name) and MEMBERS_ADDED, both ours. */
export function groupCreationEvents(
  chatId: string,
  name: string,
  members: string[],
  clock: bigint,
  signingKey: Uint8Array,
  secp: Secp256k1Provider,
): Uint8Array[] {
  return [
    signMembershipEvent(
      chatId,
      { clock, type: MembershipEventType.CHAT_CREATED, members: [], name },
      signingKey,
      secp,
    ),
    signMembershipEvent(
      chatId,
      { clock: clock + 1n, type: MembershipEventType.MEMBERS_ADDED, members, name: '' },
      signingKey,
      secp,
    ),
  ]
}

/** Decodes one signed event and recovers its signer; VerificationError when no key recovers. */
export function openMembershipEvent(
  chatId: string,
  raw: Uint8Array,
  secp: Secp256k1Provider,
): SignedMembershipEvent {
  if (raw.length <= 65) throw new DecodeError('membership event shorter than its signature')
  const signature = raw.subarray(0, 65)
  const encoded = raw.subarray(65)
  const decoded = decodePlain(EventType, encoded, 'MembershipUpdateEvent')
  let signer: Uint8Array
  try {
    signer = secp.recover(signatureMaterial(chatId, encoded), signature, false)
  } catch (error) {
    throw new VerificationError('membership event signature does not recover a key', { cause: error })
  }
  const members = Array.isArray(decoded.members) ? decoded.members.map(stringField) : []
  return {
    clock: uint64Field(decoded.clock),
    type: numberField(decoded.type),
    members: members.map((member) => member.toLowerCase()),
    name: stringField(decoded.name),
    from: keyHex(signer),
    raw: Uint8Array.from(raw),
  }
}

export function encodeMembershipUpdate(update: MembershipUpdate): Uint8Array {
  const fields: Record<string, unknown> = { chat_id: update.chatId, events: update.events }
  if (update.message !== undefined) fields.message = encodeChatMessage(update.message)
  return plainBytes(MessageType.encode(MessageType.fromObject(fields)).finish())
}

export function decodeMembershipUpdate(bytes: Uint8Array): MembershipUpdate {
  const decoded = decodePlain(MessageType, bytes, 'MembershipUpdateMessage')
  const events = Array.isArray(decoded.events) ? decoded.events.map(bytesField) : []
  const update: MembershipUpdate = { chatId: stringField(decoded.chat_id), events }
  const message = bytesField(decoded.message)
  if (message.length > 0) update.message = decodeChatMessage(message)
  return update
}

/**
 * Folds signed events into the group's state, in clock order. The first event must be the
 * creation, signed by the key the chat id ends with (`<uuid>-0x<creator key>`); later events count
 * only when an admin signed them (a member may remove itself). Anything else is a VerificationError:
 * one forged event rejects the whole update.
 */
export function foldMembership(
  chatId: string,
  raws: readonly Uint8Array[],
  secp: Secp256k1Provider,
): GroupState {
  const seen = new Set<string>()
  const events: SignedMembershipEvent[] = []
  for (const raw of raws) {
    const key = bytesToHex(raw.subarray(0, 65))
    if (seen.has(key)) continue
    seen.add(key)
    events.push(openMembershipEvent(chatId, raw, secp))
  }
  events.sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : a.type - b.type))
  const created = events[0]
  if (created === undefined || created.type !== MembershipEventType.CHAT_CREATED) {
    throw new VerificationError(`group ${chatId} has no creation event`)
  }
  if (!chatId.toLowerCase().endsWith(`-${created.from}`)) {
    throw new VerificationError(`group ${chatId} was not created by the key its id names`)
  }
  const state: GroupState = {
    id: chatId,
    name: created.name,
    members: [created.from],
    admins: [created.from],
    creator: created.from,
  }
  for (const event of events.slice(1)) applyEvent(state, event)
  return state
}

function applyEvent(state: GroupState, event: SignedMembershipEvent): void {
  const isAdmin = state.admins.includes(event.from)
  const add = (list: string[], keys: readonly string[]) => {
    for (const key of keys) if (!list.includes(key)) list.push(key)
  }
  const selfRemoval =
    event.type === MembershipEventType.MEMBER_REMOVED &&
    event.members.length === 1 &&
    event.members[0] === event.from
  const joined = event.type === MembershipEventType.MEMBER_JOINED && state.members.includes(event.from)
  if (!isAdmin && !selfRemoval && !joined) {
    throw new VerificationError(`membership event of type ${event.type} signed by a non-admin`)
  }
  switch (event.type) {
    case MembershipEventType.CHAT_CREATED:
      throw new VerificationError('a group cannot be created twice')
    case MembershipEventType.NAME_CHANGED:
      state.name = event.name
      break
    case MembershipEventType.MEMBERS_ADDED:
      add(state.members, event.members)
      break
    case MembershipEventType.MEMBER_REMOVED:
      state.members = state.members.filter((member) => !event.members.includes(member))
      state.admins = state.admins.filter((admin) => !event.members.includes(admin))
      break
    case MembershipEventType.ADMINS_ADDED:
      add(
        state.admins,
        event.members.filter((member) => state.members.includes(member)),
      )
      break
    case MembershipEventType.ADMIN_REMOVED:
      state.admins = state.admins.filter((admin) => !event.members.includes(admin))
      break
    default:
      // MEMBER_JOINED and types we do not model change nothing here
      break
  }
}

/** The events without repeats (an event is known by its 65-byte signature). */
export function dedupEvents(events: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  return events.filter((event) => {
    const key = bytesToHex(event.subarray(0, 65))
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
