/**
 * Private-group changes made here: creating a group, adding members, leaving. Each is one or more
 * events signed with our key, applied locally through the same fold receivers use, and sent with
 * all the group's events to every member over the one-to-one path (status-go `CreateGroupChat…`,
 * `AddMembersToGroupChat`, `LeaveGroupChat`).
 */
import { bytesToHex } from '@parley/crypto'
import type { AbortOptions, Secp256k1Provider } from '@parley/interfaces'
import { nextClock } from '../chat-message.ts'
import { ApplicationMessageType } from '../proto/enums.ts'
import { messageId, wrapMessage } from '../wrap.ts'
import {
  encodeMembershipUpdate,
  foldMembership,
  groupCreationEvents,
  signMembershipEvent,
} from './membership.ts'
import { newChat, type SentRecord, type StoredChat } from './state.ts'

export interface GroupContext {
  readonly publicKey: string
  readonly secp256k1: Secp256k1Provider
  readonly identityKey: Uint8Array
  now(): number
  addContact(peer: string, options?: AbortOptions): Promise<unknown>
  saveChat(chat: StoredChat, options?: AbortOptions): Promise<void>
  sendPrivate(peer: string, wrapped: Uint8Array, record: SentRecord, options?: AbortOptions): Promise<void>
}

/** Creates a group with us as its creator and admin; `members` are the others, normalised. */
export async function createGroupChat(
  context: GroupContext,
  name: string,
  members: readonly string[],
  options?: AbortOptions,
): Promise<StoredChat> {
  const id = `${globalThis.crypto.randomUUID()}-${context.publicKey}`
  const clock = BigInt(context.now())
  const events = groupCreationEvents(id, name, [...members], clock, context.identityKey, context.secp256k1)
  const chat: StoredChat = {
    ...newChat('group', id, name, [context.publicKey, ...members]),
    admins: [context.publicKey],
    lastClock: clock + 1n,
    events,
  }
  for (const member of members) await context.addContact(member, options)
  await context.saveChat(chat, options)
  await sendMembership(context, chat, members, options)
  return chat
}

/** Signs one membership event, applies it, and sends the group's events to old and new members. */
export async function changeGroup(
  context: GroupContext,
  chat: StoredChat,
  type: number,
  members: string[],
  options?: AbortOptions,
): Promise<void> {
  const clock = nextClock(chat.lastClock, context.now())
  const event = signMembershipEvent(
    chat.id,
    { clock, type, members, name: '' },
    context.identityKey,
    context.secp256k1,
  )
  const events = [...chat.events, event]
  const state = foldMembership(chat.id, events, context.secp256k1)
  const recipients = [...new Set([...chat.members, ...state.members])].filter(
    (key) => key !== context.publicKey,
  )
  Object.assign(chat, {
    name: state.name,
    members: state.members,
    admins: state.admins,
    lastClock: clock,
    events,
  })
  for (const member of state.members) await context.addContact(member, options)
  await context.saveChat(chat, options)
  await sendMembership(context, chat, recipients, options)
}

async function sendMembership(
  context: GroupContext,
  chat: StoredChat,
  recipients: readonly string[],
  options?: AbortOptions,
): Promise<void> {
  const update = encodeMembershipUpdate({ chatId: chat.id, events: chat.events })
  const wrapped = wrapMessage(
    update,
    ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE,
    context.identityKey,
    context.secp256k1,
  )
  const id = `0x${bytesToHex(messageId(context.secp256k1.getPublicKey(context.identityKey, false), wrapped))}`
  for (const member of recipients) {
    await context.sendPrivate(member, wrapped, { messageId: id, chatId: chat.id }, options)
  }
}
